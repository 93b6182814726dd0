/**
 * The rule table `avhealth check` prints: rule, status, percent vs threshold, counted, failing, enforcement, and
 * with a baseline the change since it (points, newly failing).
 */
import type { AvHealthReport, RuleResult, RuleStatus } from "../report-model/types";
import { formatDelta } from "../reports/changes-facts";
import { paint, renderTable, type Cell, type Colour } from "./table";

const STATUS_COLOUR: Record<RuleStatus, Colour> = { pass: "green", fail: "red", indeterminate: "yellow", disabled: "grey" };

export function renderRuleTable(report: AvHealthReport, colour: boolean): string {
  const rows: Cell[][] = report.rules.map((rule) => [
    { text: rule.id },
    { text: rule.status, colour: STATUS_COLOUR[rule.status] },
    { text: rule.status === "disabled" ? "-" : `${rule.percent.toFixed(2)}%`, align: "right" },
    { text: `${rule.threshold.minPercent}%${rule.threshold.maxFailing === null ? "" : ` / ≤${rule.threshold.maxFailing}`}`, align: "right" },
    { text: String(rule.counts.counted), align: "right" },
    { text: String(rule.counts.failing), align: "right" },
    { text: rule.enforcement },
    ...(report.baseline === null ? [] : [{ text: change(rule) }]),
  ]);
  const header = ["rule", "status", "percent", "threshold", "counted", "failing", "enforcement", ...(report.baseline === null ? [] : ["since baseline"])];
  const table = renderTable(header, rows, colour);
  const snapshot = report.snapshot.complete ? "" : paint(" (snapshot INCOMPLETE: the gate fails closed)", "red", colour);
  const gate = paint(`gate: ${report.gate.toUpperCase()}`, report.gate === "pass" ? "green" : "red", colour);
  return `${table}\n\n${gate}, ${report.snapshot.deviceCount} devices${snapshot}`;
}

function change(rule: RuleResult): string {
  const c = rule.comparison;
  if (c === null) return "-";
  const marks = c.ratcheted ? " ratcheted" : c.regressed ? " regressed" : "";
  return `${formatDelta(c.percentDelta)} pts, ${c.newlyFailing.length} new, ${c.fixed.length} fixed, ${c.left.length} left${marks}`;
}
