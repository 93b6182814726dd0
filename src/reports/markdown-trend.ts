/**
 * The Markdown report's history: the last 10 gates, newest first, with the rules that did not pass. Only
 * present when the history is given (check --history, the pack's AVHEALTH_HISTORY).
 */
import type { HistoryEntry } from "../history/types";
import type { EvaluationResult } from "../report-model/types";
import { escapeMarkdown as md } from "./escape";
import { formatCount, formatPercent } from "./summary";

export const MARKDOWN_GATE_ENTRIES = 10;

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function notPassing(entry: HistoryEntry): string {
  const rules = Object.entries(entry.rules).filter(([, r]) => r.status === "fail" || r.status === "indeterminate");
  if (rules.length === 0) return "—";
  return rules.map(([id, r]) => `${md(id)} (${r.status === "fail" ? formatPercent(r.percent) : "indeterminate"})`).join(", ");
}

export function gateHistoryLines(result: EvaluationResult): string[] {
  const history = result.history;
  if (history === undefined || history.length === 0) return [];
  const shown = history.slice(-MARKDOWN_GATE_ENTRIES).reverse();
  return [
    "",
    `### Last ${shown.length} gate${shown.length === 1 ? "" : "s"}`,
    "",
    row(["Evaluated at", "Gate", "Devices", "Snapshot", "Rules not passing"]),
    row(["---", "---", "---:", "---", "---"]),
    ...shown.map((e) =>
      row([md(e.evaluatedAt), e.gate === "pass" ? "✅ pass" : "❌ fail", formatCount(e.deviceCount), md(e.snapshotDigest.replace(/^sha256:/, "").slice(0, 12)), notPassing(e)]),
    ),
  ];
}
