/**
 * The HTML report's "Changes since the baseline" section: a table of each rule's delta and counts, then the
 * newly failing devices per rule, capped. Empty when the report has no baseline. Every string through escapeHtml.
 */
import type { AvHealthReport, RuleResult } from "../report-model/types";
import { changedRules, formatDelta } from "./changes-facts";
import { escapeHtml as h } from "./escape";
import { HTML_DEVICE_CAP, capList, deviceName, formatCount, formatPercent } from "./summary";

const num = (value: number): string => `<td class="num">${formatCount(value)}</td>`;

function ruleRow(rule: RuleResult): string {
  const c = rule.comparison;
  const head = `<tr data-rule="${h(rule.id)}"><th scope="row"><code>${h(rule.id)}</code></th><td>${h(rule.status)}${c?.ratcheted ? " (ratcheted)" : c?.regressed ? " (regressed)" : ""}</td>`;
  const note = `<td class="text">${h(rule.baselineNote ?? "")}</td></tr>`;
  if (c === null) return `${head}<td class="num" colspan="6">—</td>${note}`;
  return (
    `${head}<td class="num">${h(formatPercent(c.baselinePercent))} → ${h(formatPercent(rule.percent))}</td>` +
    `<td class="num">${h(formatDelta(c.percentDelta))}</td>` +
    num(c.newlyFailing.length) +
    num(c.fixed.length) +
    num(c.waived.length) +
    num(c.left.length) +
    note
  );
}

function newlyFailing(rule: RuleResult): string {
  const devices = rule.comparison?.newlyFailing ?? [];
  if (devices.length === 0) return "";
  const { shown, omitted } = capList(devices, HTML_DEVICE_CAP);
  const rows = shown
    .map((d) => `<tr><td class="device">${h(deviceName(d))}</td><td><code>${h(d.machineId)}</code></td><td>${h(d.outcome)}</td><td class="reason">${h(d.reason)}</td></tr>`)
    .join("");
  const more = omitted > 0 ? `<p class="more">… and ${formatCount(omitted)} more: every device is listed in avhealth-report.json.</p>` : "";
  return (
    `<section class="newly-failing" data-rule="${h(rule.id)}" data-total="${devices.length}"><h3><code>${h(rule.id)}</code>: ${formatCount(devices.length)} newly failing</h3>` +
    `<div class="table-wrap"><table><thead><tr><th scope="col">Device</th><th scope="col">Machine ID</th><th scope="col">Outcome</th><th scope="col">Reason</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></div>${more}</section>`
  );
}

export function changesHtml(report: AvHealthReport): string {
  if (report.baseline === null) return "";
  const b = report.baseline;
  const rules = changedRules(report.rules);
  const head = ["Rule", "Status", "Percent", "Change (points)", "Newly failing", "Fixed", "Waived", "Left", "Note"]
    .map((label, i) => `<th scope="col"${i >= 2 && i <= 7 ? ' class="num"' : ""}>${label}</th>`)
    .join("");
  return (
    `<section aria-labelledby="h-changes" id="changes"><h2 id="h-changes">Changes since the baseline</h2>` +
    `<p>Compared with <code>${h(b.file)}</code>, evaluated at ${h(b.evaluatedAt)} (snapshot <span class="mono">${h(b.snapshotDigest)}</span>).</p>` +
    `<div class="table-wrap"><table id="changes-table"><caption>Per rule: percent then and now, and the devices that newly fail, were fixed, are waived or left.</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${rules.map(ruleRow).join("")}</tbody></table></div>` +
    rules.map(newlyFailing).join("") +
    `</section>`
  );
}
