/**
 * The HTML report's tables: rules, failing devices per rule (capped, with the count of the rest) and
 * exceptions. Real <table>s with <caption> and scoped <th>, so they read with a screen reader and print whole.
 */
import type { AvHealthReport, RuleResult } from "../report-model/types";
import { escapeHtml as h } from "./escape";
import {
  HTML_DEVICE_CAP,
  capList,
  deviceName,
  failsGate,
  formatCount,
  formatPercent,
  formatThreshold,
  isEvaluated,
} from "./summary";

interface Column {
  label: string;
  numeric?: boolean;
}

function table(caption: string, columns: readonly Column[], rows: readonly string[], attrs = ""): string {
  const head = columns.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ""}>${h(c.label)}</th>`).join("");
  return (
    `<div class="table-wrap"><table${attrs}><caption>${caption}</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`
  );
}

function badge(value: string): string {
  return `<span class="badge b-${h(value)}">${h(value)}</span>`;
}

function num(value: number | null): string {
  return `<td class="num">${value === null ? "—" : formatCount(value)}</td>`;
}

function ruleRow(rule: RuleResult): string {
  const evaluated = isEvaluated(rule);
  const c = rule.counts;
  return (
    `<tr id="rule-${h(rule.id)}">` +
    `<th scope="row" class="rule"><code>${h(rule.id)}</code><span class="sub">${h(rule.description)}</span></th>` +
    `<td class="nowrap">${badge(rule.status)}${failsGate(rule) ? '<span class="blocks sub">blocks the gate</span>' : ""}</td>` +
    `<td class="num">${evaluated ? h(formatPercent(rule.percent)) : "—"}</td>` +
    `<td class="nowrap">${h(formatThreshold(rule.threshold))}</td>` +
    num(evaluated ? c.counted : null) +
    num(evaluated ? c.failing : null) +
    num(evaluated ? c.unknown : null) +
    num(evaluated ? c.waived : null) +
    num(evaluated ? c.inScope : null) +
    `<td>${h(rule.enforcement)}<span class="sub">${h(rule.severity)}</span></td>` +
    `</tr>`
  );
}

export function rulesTable(report: AvHealthReport): string {
  return table(
    `${report.rules.length} rules, in rule-file order. Percent = passing ÷ counted; unknown devices count as the rule file's <code>settings.unknown</code> says.`,
    [
      { label: "Rule" },
      { label: "Status" },
      { label: "Percent", numeric: true },
      { label: "Threshold" },
      { label: "Counted", numeric: true },
      { label: "Failing", numeric: true },
      { label: "Unknown", numeric: true },
      { label: "Waived", numeric: true },
      { label: "In scope", numeric: true },
      { label: "Enforcement / severity" },
    ],
    report.rules.map(ruleRow),
    ' id="rules-table"',
  );
}

function failingSection(rule: RuleResult, fullData: string): string {
  const { shown, omitted } = capList(rule.failingDevices, HTML_DEVICE_CAP);
  const total = rule.failingDevices.length;
  const rows = shown.map(
    (d) =>
      `<tr><td class="device">${h(deviceName(d))}</td><td><code>${h(d.machineId)}</code></td>` +
      `<td>${badge(d.outcome)}</td><td class="reason">${h(d.reason)}</td></tr>`,
  );
  const caption =
    omitted > 0
      ? `Showing the first ${formatCount(shown.length)} of ${formatCount(total)} failing devices, by name.`
      : `${formatCount(total)} failing device${total === 1 ? "" : "s"}, by name.`;
  const more =
    omitted > 0
      ? `<p class="more">… and ${formatCount(omitted)} more: ${h(fullData)}.</p>`
      : "";
  return (
    `<section class="failing" data-rule="${h(rule.id)}" data-total="${total}" data-shown="${shown.length}">` +
    `<h3><code>${h(rule.id)}</code> ${badge(rule.status)} <span class="muted">${h(rule.description)}</span></h3>` +
    table(caption, [{ label: "Device" }, { label: "Machine ID" }, { label: "Outcome" }, { label: "Reason" }], rows) +
    more +
    `</section>`
  );
}

/** `fullData` says where every device is listed (fullDataNote), after a capped list. */
export function failingDevicesSections(report: AvHealthReport, fullData: string): string {
  const rules = report.rules.filter((r) => r.failingDevices.length > 0);
  if (rules.length === 0) return `<p class="muted">No failing or unknown devices.</p>`;
  return rules.map((rule) => failingSection(rule, fullData)).join("");
}

export function exceptionsTable(report: AvHealthReport): string {
  if (report.exceptions.length === 0) return `<p class="muted">The rule file declares no exceptions.</p>`;
  const rows = report.exceptions.map(
    (e) =>
      `<tr><td><code>${h(e.rule)}</code></td><td>${badge(e.state)}</td>${num(e.devicesMatched)}` +
      `<td>${h(e.expires)}</td><td class="text">${h(e.reason)}</td></tr>`,
  );
  return table(
    `${report.exceptions.length} exceptions. Expired ones are no longer applied; unused ones match no device.`,
    [{ label: "Rule" }, { label: "State" }, { label: "Devices matched", numeric: true }, { label: "Expires" }, { label: "Reason" }],
    rows,
    ' id="exceptions-table"',
  );
}
