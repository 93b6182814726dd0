/**
 * The Markdown report: a summary fit for a GitHub Actions step summary or a PR comment (gate line, one table
 * row per rule with fail and unknown counted apart), then the failing devices of each rule, fail before unknown,
 * with what routes them (machine group, OS platform, last seen), capped, then the exceptions. Every dynamic
 * string goes through escapeMarkdown, so a device name renders as text, never as markup, HTML or a link.
 */
import type { EvaluationResult, RuleResult } from "../report-model/types";
import { changesMarkdown } from "./changes";
import { escapeMarkdown as md } from "./escape";
import { fullDataNote } from "./full-data";
import { gateHistoryLines } from "./markdown-trend";
import {
  MARKDOWN_DEVICE_CAP,
  deviceName,
  failsGate,
  formatCount,
  outcomeSplit,
  routingCap,
  formatPercent,
  formatThreshold,
  gateSentence,
  isEvaluated,
  worstRbacGroups,
} from "./summary";

const STATUS_LABEL: Readonly<Record<RuleResult["status"], string>> = {
  pass: "✅ pass",
  fail: "❌ fail",
  indeterminate: "⚠️ indeterminate",
  disabled: "⏸️ disabled",
};

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function ruleRow(rule: RuleResult): string {
  const evaluated = isEvaluated(rule);
  const dash = "—";
  return row([
    md(rule.id),
    STATUS_LABEL[rule.status] + (failsGate(rule) ? " (blocks)" : ""),
    evaluated ? formatPercent(rule.percent) : dash,
    md(formatThreshold(rule.threshold)),
    evaluated ? formatCount(rule.counts.counted) : dash,
    evaluated ? formatCount(rule.counts.fail) : dash,
    evaluated ? formatCount(rule.counts.unknown) : dash,
    md(rule.enforcement),
    md(rule.severity),
    md(rule.description),
  ]);
}

function summaryLines(result: EvaluationResult): string[] {
  const { report } = result;
  const gate = report.gate === "pass" ? "✅ PASS" : "❌ FAIL";
  const snap = report.snapshot;
  const lines = [
    `## Defender antivirus health gate: ${gate}`,
    "",
    md(gateSentence(report)),
    "",
    `Evaluated at ${md(report.evaluatedAt)} against ${formatCount(snap.deviceCount)} devices ` +
      `(snapshot ${md(snap.digest)}, method ${md(snap.method)}` +
      `${snap.generatedTime === null ? "" : `, generated ${md(snap.generatedTime)}`}); rules from ${md(result.rulesFile)}.`,
  ];
  if (snap.publication !== undefined) {
    const p = snap.publication;
    lines.push(
      "",
      `Signed publication ${md(p.location)}: keyid ${md(p.keyid.slice(0, 16))}…, fetched ${md(p.fetchedAt)} (${formatAgeSeconds(p.ageSeconds)} before evaluation), ` +
        `expires ${md(p.expiresAt)}, ${formatCount(p.deviceCount)} devices.`,
    );
  }
  if (!snap.complete) {
    lines.push("", "> ⚠️ **The snapshot is incomplete**: every rule is indeterminate and the gate fails closed.");
  }
  lines.push(
    "",
    row(["Rule", "Status", "Percent", "Threshold", "Counted", "Fail", "Unknown", "Enforcement", "Severity", "Description"]),
    row(["---", "---", "---:", "---", "---:", "---:", "---:", "---", "---", "---"]),
    ...report.rules.map(ruleRow),
    "",
    "Fail: devices whose data breaks the rule. Unknown: devices with no data to judge (stale, or a field Defender " +
      "did not report); they need data, not a fix, and count as failing, passing or not at all as the rule file's " +
      "settings.unknown says. Percent is passing ÷ counted.",
  );
  return lines;
}

/** A routing fact, or a dash when the report predates it or Defender has none. */
function fact(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? "—" : md(value);
}

function failingDeviceLines(result: EvaluationResult, rule: RuleResult): string[] {
  const { shown, omitted } = routingCap(rule.failingDevices, MARKDOWN_DEVICE_CAP);
  const split = outcomeSplit(rule.failingDevices);
  const lines = [
    "",
    `#### ${md(rule.id)}: ${formatCount(split.fail)} fail, ${formatCount(split.unknown)} unknown`,
    "",
    row(["Device", "Machine ID", "Outcome", "Machine group", "OS platform", "Last seen", "Reason"]),
    row(["---", "---", "---", "---", "---", "---", "---"]),
    ...shown.map((d) =>
      row([md(deviceName(d)), md(d.machineId), md(d.outcome), fact(d.rbacGroupName), fact(d.osPlatform), fact(d.lastSeenTime), md(d.reason)]),
    ),
  ];
  if (omitted > 0) {
    lines.push("", `… and ${formatCount(omitted)} more (${fullDataNote(result)}).`);
  }
  return lines;
}

function rbacLines(result: EvaluationResult): string[] {
  const worst = worstRbacGroups(result.rbacGroups);
  if (worst.length === 0) return [];
  return [
    "",
    "### Device groups with the most failing or unknown outcomes",
    "",
    "Each number counts device-rule outcomes, summed over the evaluated rules: a device counts once for every " +
      "rule whose scope it is in, so one device failing three rules adds 3 to Fail.",
    "",
    row(["Device group", "Fail", "Unknown", "Pass", "Waived"]),
    row(["---", "---:", "---:", "---:", "---:"]),
    ...worst.map((g) =>
      row([md(g.rbacGroupName), formatCount(g.fail), formatCount(g.unknown), formatCount(g.pass), formatCount(g.waived)]),
    ),
  ];
}

function exceptionLines(result: EvaluationResult): string[] {
  const { exceptions } = result.report;
  if (exceptions.length === 0) return [];
  return [
    "",
    "### Exceptions",
    "",
    row(["Rule", "State", "Devices matched", "Expires", "Reason"]),
    row(["---", "---", "---:", "---", "---"]),
    ...exceptions.map((e) =>
      row([md(e.rule), md(e.state), formatCount(e.devicesMatched), md(e.expires), md(e.reason)]),
    ),
  ];
}

export function renderMarkdown(result: EvaluationResult): string {
  const failing = result.report.rules.filter((r) => r.failingDevices.length > 0);
  const lines = [...summaryLines(result), ...changesMarkdown(result.report)];
  if (failing.length > 0) {
    lines.push("", "### Failing devices", "", "Fail first, then unknown; by name within each.");
    for (const rule of failing) lines.push(...failingDeviceLines(result, rule));
  }
  lines.push(...rbacLines(result), ...exceptionLines(result));
  lines.push(...gateHistoryLines(result));
  return `${lines.join("\n")}\n`;
}

function formatAgeSeconds(seconds: number): string {
  return seconds < 7200 ? `${Math.round(seconds / 60)}m` : `${Math.round(seconds / 360) / 10}h`;
}
