/**
 * The HTML report's tables: rules, failing devices per rule (capped, with the count of the rest) and
 * exceptions. Real <table>s with <caption> and scoped <th>, so they read with a screen reader and print whole.
 */
import type { AvHealthReport, RuleResult } from "../report-model/types";
import { escapeHtml as h } from "./escape";
import {
  HTML_DEVICE_CAP,
  deviceName,
  failsGate,
  formatCount,
  formatPercent,
  formatThreshold,
  isEvaluated,
  outcomeSplit,
  routingCap,
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
    num(evaluated ? c.fail : null) +
    num(evaluated ? c.unknown : null) +
    num(evaluated ? c.waived : null) +
    num(evaluated ? c.inScope : null) +
    `<td>${h(rule.enforcement)}<span class="sub">${h(rule.severity)}</span></td>` +
    `</tr>`
  );
}

export function rulesTable(report: AvHealthReport): string {
  return table(
    `${report.rules.length} rules, in rule-file order. Fail: the device's data breaks the rule; unknown: no data to judge (stale or not reported), which needs data rather than a fix. Percent = passing ÷ counted; unknown devices count as the rule file's <code>settings.unknown</code> says.`,
    [
      { label: "Rule" },
      { label: "Status" },
      { label: "Percent", numeric: true },
      { label: "Threshold" },
      { label: "Counted", numeric: true },
      { label: "Fail", numeric: true },
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
  const { shown, omitted } = routingCap(rule.failingDevices, HTML_DEVICE_CAP);
  const total = rule.failingDevices.length;
  const split = outcomeSplit(rule.failingDevices);
  const fact = (value: string | null | undefined): string => (value === null || value === undefined || value === "" ? "—" : h(value));
  const rows = shown.map(
    (d) =>
      `<tr><td class="device">${h(deviceName(d))}</td><td><code>${h(d.machineId)}</code></td>` +
      `<td>${badge(d.outcome)}</td><td>${fact(d.rbacGroupName)}</td><td>${fact(d.osPlatform)}</td>` +
      `<td class="nowrap">${fact(d.lastSeenTime)}</td><td class="reason">${h(d.reason)}</td></tr>`,
  );
  const order = "fail first, then unknown, by name within each";
  const splitText = `${formatCount(split.fail)} fail, ${formatCount(split.unknown)} unknown`;
  const caption =
    omitted > 0
      ? `Showing the first ${formatCount(shown.length)} of ${formatCount(total)} failing devices (${splitText}), ${order}.`
      : `${formatCount(total)} failing device${total === 1 ? "" : "s"} (${splitText}), ${order}.`;
  const more =
    omitted > 0
      ? `<p class="more">… and ${formatCount(omitted)} more: ${h(fullData)}.</p>`
      : "";
  return (
    `<section class="failing" data-rule="${h(rule.id)}" data-total="${total}" data-shown="${shown.length}">` +
    `<h3><code>${h(rule.id)}</code> ${badge(rule.status)} <span class="muted">${h(rule.description)}</span></h3>` +
    table(
      caption,
      [{ label: "Device" }, { label: "Machine ID" }, { label: "Outcome" }, { label: "Machine group" }, { label: "OS platform" }, { label: "Last seen" }, { label: "Reason" }],
      rows,
    ) +
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
