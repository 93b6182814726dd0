/**
 * The rule table `avhealth check` prints: rule, status, percent vs threshold, counted, then failing devices split
 * into fail (the check failed) and unknown (stale or missing data: a different fix, often by a different team),
 * enforcement, and with a baseline the change since it. The last line is the gate and the rules that block it.
 */
import type { AvHealthReport, RuleResult, RuleStatus } from "../report-model/types";
import { formatDelta } from "../reports/changes-facts";
import { failsGate } from "../reports/summary";
import { paint, renderTable, type Cell, type Colour } from "./table";

const STATUS_COLOUR: Record<RuleStatus, Colour> = { pass: "green", fail: "red", indeterminate: "yellow", disabled: "grey" };

export function renderRuleTable(report: AvHealthReport, colour: boolean): string {
  const rows: Cell[][] = report.rules.map((rule) => [
    { text: rule.id },
    { text: rule.status, colour: STATUS_COLOUR[rule.status] },
    { text: rule.status === "disabled" ? "-" : `${rule.percent.toFixed(2)}%`, align: "right" },
    { text: `${rule.threshold.minPercent}%${rule.threshold.maxFailing === null ? "" : ` / ≤${rule.threshold.maxFailing}`}`, align: "right" },
    { text: String(rule.counts.counted), align: "right" },
    { text: String(rule.counts.fail), align: "right" },
    { text: String(rule.counts.unknown), align: "right" },
    { text: rule.enforcement },
    ...(report.baseline === null ? [] : [{ text: change(rule) }]),
  ]);
  const header = ["rule", "status", "percent", "threshold", "counted", "fail", "unknown", "enforcement", ...(report.baseline === null ? [] : ["since baseline"])];
  const table = renderTable(header, rows, colour);
  const snapshot = report.snapshot.complete ? "" : paint(" (snapshot INCOMPLETE: the gate fails closed)", "red", colour);
  const gate = paint(`gate: ${report.gate.toUpperCase()}`, report.gate === "pass" ? "green" : "red", colour);
  return `${table}\n\n${gate}, ${report.snapshot.deviceCount} devices${snapshot}${blockingText(report)}`;
}

/** "; blocked by a (98 fail, 125 unknown), b (indeterminate)": what a reader must fix for the gate to pass. */
export function blockingText(report: AvHealthReport): string {
  const blocking = report.rules.filter(failsGate);
  if (blocking.length === 0) return "";
  const why = (rule: RuleResult): string =>
    rule.status === "indeterminate" ? "indeterminate" : `${rule.counts.fail} fail, ${rule.counts.unknown} unknown`;
  return `; blocked by ${blocking.map((rule) => `${rule.id} (${why(rule)})`).join(", ")}`;
}

function change(rule: RuleResult): string {
  const c = rule.comparison;
  if (c === null) return "-";
  const marks = c.ratcheted ? " ratcheted" : c.regressed ? " regressed" : "";
  return `${formatDelta(c.percentDelta)} pts, ${c.newlyFailing.length} new, ${c.fixed.length} fixed, ${c.left.length} left${marks}`;
}
