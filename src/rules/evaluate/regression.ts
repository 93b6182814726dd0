/**
 * The rule key `regression` (baselines.md "Gating on regression"), as one pure decision: given the v1 status and
 * the comparison's figures, the final status, whether the rule regressed or was ratcheted, and why.
 */
import type { RuleStatus } from "../../report-model/types";
import type { RuleRegression } from "../types";

export interface RegressionFigures {
  /** Unrounded current percent minus the baseline's percent. */
  percentDelta: number;
  newlyFailing: number;
}

export interface RegressionOutcome {
  status: RuleStatus;
  regressed: boolean;
  ratcheted: boolean;
  /** Why the regression key changed or confirmed a status; null when it had nothing to say. */
  note: string | null;
}

export function applyRegression(status: RuleStatus, figures: RegressionFigures, regression: RuleRegression): RegressionOutcome {
  // A ratchet means "not worse": without an explicit allowance, any drop at all is worse.
  const maxDrop = regression.maxPercentDrop ?? (regression.ratchet ? 0 : null);
  const dropped = maxDrop !== null && figures.percentDelta < -maxDrop;
  const grew = regression.maxNewlyFailing !== null && figures.newlyFailing > regression.maxNewlyFailing;
  const regressed = dropped || grew;
  if (status !== "pass" && status !== "fail") return { status, regressed: false, ratcheted: false, note: null };
  const figuresText = describe(figures, maxDrop, regression.maxNewlyFailing);
  if (regressed) return { status: "fail", regressed, ratcheted: false, note: `regressed since the baseline: ${figuresText}` };
  if (status === "fail" && regression.ratchet) {
    return { status: "pass", regressed, ratcheted: true, note: `below the threshold, not worse than the baseline (ratchet): ${figuresText}` };
  }
  return { status, regressed, ratcheted: false, note: null };
}

function describe(figures: RegressionFigures, maxDrop: number | null, maxNewlyFailing: number | null): string {
  const delta = figures.percentDelta;
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  const percent = `percent ${sign}${Math.abs(delta).toFixed(2)} points${maxDrop === null ? "" : ` (allowed drop ${maxDrop})`}`;
  const devices = `${figures.newlyFailing} device${figures.newlyFailing === 1 ? "" : "s"} newly failing${maxNewlyFailing === null ? "" : ` (allowed ${maxNewlyFailing})`}`;
  return `${percent}, ${devices}`;
}
