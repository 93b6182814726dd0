/** The rule table `avhealth check` prints: rule, status, percent vs threshold, counted, failing, enforcement. */
import type { AvHealthReport, RuleStatus } from "../report-model/types";
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
  ]);
  const table = renderTable(["rule", "status", "percent", "threshold", "counted", "failing", "enforcement"], rows, colour);
  const snapshot = report.snapshot.complete ? "" : paint(" (snapshot INCOMPLETE: the gate fails closed)", "red", colour);
  const gate = paint(`gate: ${report.gate.toUpperCase()}`, report.gate === "pass" ? "green" : "red", colour);
  return `${table}\n\n${gate}, ${report.snapshot.deviceCount} devices${snapshot}`;
}
