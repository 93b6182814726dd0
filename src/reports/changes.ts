/**
 * The Markdown report's "Changes since the baseline" section: one row per rule (delta, counts), then the newly
 * failing devices of each rule, capped. Empty when the report has no baseline. Every dynamic string goes
 * through escapeMarkdown, as in markdown.ts.
 */
import type { AvHealthReport, RuleResult } from "../report-model/types";
import { changedRules, formatDelta } from "./changes-facts";
import { escapeMarkdown as md } from "./escape";
import { MARKDOWN_DEVICE_CAP, capList, deviceName, formatCount, formatPercent } from "./summary";

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function ruleRow(rule: RuleResult): string {
  const c = rule.comparison;
  const dash = "—";
  if (c === null) return row([md(rule.id), md(rule.status), dash, dash, dash, dash, dash, dash, md(rule.baselineNote ?? "")]);
  const status = c.ratcheted ? `${rule.status} (ratcheted)` : c.regressed ? `${rule.status} (regressed)` : rule.status;
  return row([
    md(rule.id),
    md(status),
    `${formatPercent(c.baselinePercent)} → ${formatPercent(rule.percent)}`,
    formatDelta(c.percentDelta),
    formatCount(c.newlyFailing.length),
    formatCount(c.fixed.length),
    formatCount(c.waived.length),
    formatCount(c.left.length),
    md(rule.baselineNote ?? ""),
  ]);
}

function newlyFailingLines(rule: RuleResult): string[] {
  const devices = rule.comparison?.newlyFailing ?? [];
  if (devices.length === 0) return [];
  const { shown, omitted } = capList(devices, MARKDOWN_DEVICE_CAP);
  const lines = [
    "",
    `#### ${md(rule.id)}: ${formatCount(devices.length)} newly failing device${devices.length === 1 ? "" : "s"}`,
    "",
    row(["Device", "Machine ID", "Outcome", "Reason"]),
    row(["---", "---", "---", "---"]),
    ...shown.map((d) => row([md(deviceName(d)), md(d.machineId), md(d.outcome), md(d.reason)])),
  ];
  if (omitted > 0) lines.push("", `… and ${formatCount(omitted)} more (all of them are in avhealth-report.json).`);
  return lines;
}

export function changesMarkdown(report: AvHealthReport): string[] {
  if (report.baseline === null) return [];
  const b = report.baseline;
  const rules = changedRules(report.rules);
  return [
    "",
    "### Changes since the baseline",
    "",
    `Compared with ${md(b.file)} (evaluated at ${md(b.evaluatedAt)}, snapshot ${md(b.snapshotDigest)}).`,
    "",
    row(["Rule", "Status", "Percent", "Change (points)", "Newly failing", "Fixed", "Waived", "Left", "Note"]),
    row(["---", "---", "---", "---:", "---:", "---:", "---:", "---:", "---"]),
    ...rules.map(ruleRow),
    ...rules.flatMap(newlyFailingLines),
  ];
}
