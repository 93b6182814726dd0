/** Rule outcome arithmetic (rules-v1.md "Rule outcome"): counts, percent, status. */
import type { RuleCounts, RuleStatus } from "../../report-model/types";
import type { RuleSettings, RuleThreshold } from "../types";
import type { RuleTally } from "./tally";

export function ruleCounts(tally: RuleTally, unknownMode: RuleSettings["unknown"]): RuleCounts {
  const counted = tally.pass + tally.fail + (unknownMode === "exclude" ? 0 : tally.unknown);
  const passing = tally.pass + (unknownMode === "pass" ? tally.unknown : 0);
  return {
    inScope: tally.inScope,
    pass: tally.pass,
    fail: tally.fail,
    unknown: tally.unknown,
    waived: tally.waived,
    counted,
    passing,
    failing: counted - passing,
  };
}

/** Unrounded: the status is decided on this value. */
export function exactPercent(counts: RuleCounts): number {
  return counts.counted === 0 ? 100 : (100 * counts.passing) / counts.counted;
}

/** Two decimals, half up, from one division of exact integers (no 98.005 * 100 float drift). */
export function roundedPercent(counts: RuleCounts): number {
  return counts.counted === 0 ? 100 : Math.round((10_000 * counts.passing) / counts.counted) / 100;
}

export interface StatusInput {
  disabled: boolean;
  complete: boolean;
  minDevices: number;
  threshold: RuleThreshold;
}

export function ruleStatus(counts: RuleCounts, input: StatusInput): RuleStatus {
  if (input.disabled) return "disabled";
  if (!input.complete || counts.counted < input.minDevices) return "indeterminate";
  const { minPercent, maxFailing } = input.threshold;
  const percentHolds = exactPercent(counts) >= minPercent;
  const failingHolds = maxFailing === null || counts.failing <= maxFailing;
  return percentHolds && failingHolds ? "pass" : "fail";
}
