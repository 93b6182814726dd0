/**
 * What `check` prints on stdout: the rule table (default), or with `--output json` one JSON object with the gate,
 * the exit code and each rule's status and counts, for scripts (the report files hold the devices).
 */
import type { AvHealthReport } from "../report-model/types";
import { failsGate } from "../reports/summary";

export const CHECK_OUTPUTS = ["table", "json"] as const;
export type CheckOutput = (typeof CHECK_OUTPUTS)[number];

export interface CheckResultJson {
  kind: "avhealth-check-result";
  gate: "pass" | "fail";
  exitCode: number;
  evaluatedAt: string;
  snapshot: { digest: string; complete: boolean; deviceCount: number };
  /** Ids of the rules that fail the gate (mandatory and fail or indeterminate), in file order. */
  blocking: string[];
  rules: Array<{
    id: string;
    status: string;
    enforcement: string;
    blocking: boolean;
    percent: number;
    threshold: { minPercent: number; maxFailing: number | null };
    counts: { inScope: number; pass: number; fail: number; unknown: number; waived: number; counted: number; failing: number };
  }>;
  /** Format → report file written, relative to the working directory. */
  reports: Record<string, string>;
}

export function checkResultJson(report: AvHealthReport, exitCode: number, reports: Record<string, string>): CheckResultJson {
  return {
    kind: "avhealth-check-result",
    gate: report.gate,
    exitCode,
    evaluatedAt: report.evaluatedAt,
    snapshot: { digest: report.snapshot.digest, complete: report.snapshot.complete, deviceCount: report.snapshot.deviceCount },
    blocking: report.rules.filter(failsGate).map((rule) => rule.id),
    rules: report.rules.map((rule) => {
      const c = rule.counts;
      return {
        id: rule.id,
        status: rule.status,
        enforcement: rule.enforcement,
        blocking: failsGate(rule),
        percent: rule.percent,
        threshold: rule.threshold,
        counts: { inScope: c.inScope, pass: c.pass, fail: c.fail, unknown: c.unknown, waived: c.waived, counted: c.counted, failing: c.failing },
      };
    }),
    reports,
  };
}
