/**
 * The comparison of one rule with the baseline (baselines.md "The comparison of one rule"), and which rules are
 * compared at all. Runs after the pass, from the tracker's recorded outcomes: no second look at the fleet.
 */
import type { Baseline, BaselineRule } from "../../baseline/types";
import type { BaselineDevice, FailingDevice, RuleComparison, RuleResult } from "../../report-model/types";
import type { CompiledRule } from "../types";
import { BaselineTracker, FAILING_NOW, NOT_FAILING, NOT_SEEN, WAIVED_NOW } from "./baseline-track";
import { applyRegression } from "./regression";
import { compareFailing } from "./tally";

export const NOTE_NO_BASELINE_GIVEN = "no baseline given";
export const NOTE_OTHER_TENANT = "no baseline: the baseline is of another tenant";
export const NOTE_NOT_IN_BASELINE = "no baseline: the rule is not in the baseline";

/** Per rule (file order): the baseline rule to compare with, or why there is none. */
export type ComparisonPlan = ReadonlyArray<{ rule: BaselineRule } | { note: string }>;

/**
 * Another tenant means both reports name a tenant and the names differ. A report that does not say (version 1,
 * local inputs) cannot be told apart, and refusing it would make every earlier report useless as a baseline.
 */
export function isOtherTenant(baseline: Baseline, tenantId: string | null): boolean {
  return baseline.tenantId !== null && tenantId !== null && baseline.tenantId !== tenantId;
}

export function planComparisons(baseline: Baseline, tenantId: string | null, rules: readonly CompiledRule[]): ComparisonPlan {
  if (isOtherTenant(baseline, tenantId)) return rules.map(() => ({ note: NOTE_OTHER_TENANT }));
  return rules.map((rule) => {
    const before = baseline.rules.get(rule.id);
    if (before === undefined) return { note: NOTE_NOT_IN_BASELINE };
    if (before.status !== "pass" && before.status !== "fail") return { note: `not compared: the rule was ${before.status} in the baseline` };
    return { rule: before };
  });
}

export interface CompareInput {
  /** The rule's v1 result (status from the threshold alone). */
  result: RuleResult;
  rule: CompiledRule;
  /** Unrounded current percent. */
  exactPercent: number;
  /** The rule's plan entry; undefined when no baseline was given. */
  plan: { rule: BaselineRule } | { note: string } | undefined;
  tracker: BaselineTracker | null;
  /** The rule's index among the enabled rules (the tracker's column), -1 when disabled. */
  column: number;
  /** The pass's newly failing devices of this rule (failing now, not failing in the baseline), sorted like failingDevices. */
  newlyFailing: FailingDevice[];
}

/** The rule's final result: comparison, baselineNote, and the status after `regression`. */
export function withComparison(input: CompareInput): RuleResult {
  const { result, rule, plan } = input;
  const hasRegression = rule.regression.maxPercentDrop !== null || rule.regression.maxNewlyFailing !== null || rule.regression.ratchet;
  const unchanged = (note: string | null): RuleResult => ({
    ...result,
    comparison: null,
    baselineNote: note === null ? null : hasRegression ? `${note}; regression changed nothing` : note,
  });
  if (plan === undefined) return unchanged(hasRegression ? NOTE_NO_BASELINE_GIVEN : null);
  if (result.status === "disabled") return unchanged("not compared: the rule is disabled");
  if (result.status === "indeterminate") return unchanged("not compared: the rule is indeterminate now");
  if ("note" in plan || input.tracker === null) return unchanged("note" in plan ? plan.note : NOTE_NOT_IN_BASELINE);

  const changes = deviceChanges(input.tracker, input.column, plan.rule, input.newlyFailing);
  const percentDelta = input.exactPercent - plan.rule.percent;
  const decision = applyRegression(result.status, { percentDelta, newlyFailing: changes.newlyFailing.length }, rule.regression);
  const comparison: RuleComparison = {
    baselineStatus: plan.rule.status as "pass" | "fail",
    baselinePercent: plan.rule.percent,
    percentDelta,
    regressed: decision.regressed,
    ratcheted: decision.ratcheted,
    ...changes,
  };
  return { ...result, status: decision.status, comparison, baselineNote: decision.note };
}

type DeviceChanges = Pick<RuleComparison, "newlyFailing" | "fixed" | "waived" | "left">;

function deviceChanges(tracker: BaselineTracker, column: number, before: BaselineRule, newlyFailing: FailingDevice[]): DeviceChanges {
  const fixed: BaselineDevice[] = [];
  const waived: BaselineDevice[] = [];
  const left: BaselineDevice[] = [];
  const { devices } = tracker.baseline;
  for (let i = 0; i < before.failing.length; i++) {
    const index = before.failing[i] as number;
    const outcome = tracker.outcome(index, column);
    if (outcome === FAILING_NOW) continue;
    const device = devices[index] as BaselineDevice;
    if (outcome === NOT_FAILING) fixed.push(device);
    else if (outcome === WAIVED_NOW) waived.push(device);
    else if (outcome === NOT_SEEN) left.push(device);
  }
  return { newlyFailing, fixed: fixed.sort(compareFailing), waived: waived.sort(compareFailing), left: left.sort(compareFailing) };
}
