/** A history entry from a report, and the test that keeps the two passes of one `pulumi up` to one line. */
import type { AvHealthReport } from "../report-model/types";
import type { HistoryEntry, HistoryRule } from "./types";

export function historyEntry(report: AvHealthReport): HistoryEntry {
  const rules: Record<string, HistoryRule> = {};
  for (const rule of report.rules) {
    rules[rule.id] = { status: rule.status, percent: rule.percent, counted: rule.counts.counted, failing: rule.counts.failing };
  }
  return {
    evaluatedAt: report.evaluatedAt,
    snapshotDigest: report.snapshot.digest,
    deviceCount: report.snapshot.deviceCount,
    gate: report.gate,
    rules,
  };
}

/**
 * Same snapshot and same rule results (ids, order, status, percent, counts): appending it again would only
 * repeat the last line with a later time. evaluatedAt and the gate are left out on purpose: the time always
 * differs, and the gate follows from the rules.
 */
export function sameEvaluation(a: HistoryEntry, b: HistoryEntry): boolean {
  if (a.snapshotDigest !== b.snapshotDigest) return false;
  const ids = Object.keys(a.rules);
  const other = Object.keys(b.rules);
  if (ids.length !== other.length) return false;
  return ids.every((id, i) => {
    const x = a.rules[id] as HistoryRule;
    const y = b.rules[other[i] as string];
    return other[i] === id && y !== undefined && x.status === y.status && x.percent === y.percent && x.counted === y.counted && x.failing === y.failing;
  });
}

/** One line of the file, keys in a fixed order, newline included. */
export function historyLine(entry: HistoryEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
