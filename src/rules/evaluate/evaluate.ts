/**
 * evaluate(): ONE streaming pass over the fleet for all rules together (pass.ts), then the report. The fleet
 * itself is never collected, only per-rule counters and the failing-device lists the report must carry. With a
 * baseline, the same pass records the current outcome of the baseline's failing devices, and each rule's
 * comparison and `regression` decision follow from it (compare.ts) before the gate is taken.
 */
import type { NormalizedDevice } from "../../model/device";
import type { Baseline } from "../../baseline/types";
import { REPORT_SCHEMA_VERSION, type EvaluationResult, type ExceptionResult, type RuleResult } from "../../report-model/types";
import type { SnapshotHeader } from "../../snapshot/types";
import { ValueReaders } from "../operators/values";
import type { CompiledRuleSet, EvalContext } from "../types";
import { BaselineTracker } from "./baseline-track";
import { planComparisons, withComparison } from "./compare";
import { gateOf } from "./gate";
import { FleetPass } from "./pass";
import { stalenessCheck } from "./staleness";
import { exactPercent, roundedPercent, ruleCounts, ruleStatus } from "./status";
import { newTally, type RuleTally } from "./tally";

export interface SnapshotInput {
  header: SnapshotHeader;
  /** The devices, or a function that opens them (the shape readSnapshot() returns). Read once. */
  devices: AsyncIterable<NormalizedDevice> | (() => AsyncIterable<NormalizedDevice>);
}

export interface EvaluateOptions {
  /** The rule file named in the result (SARIF locations, JUnit suite names); default the loader's file name. */
  rulesFile?: string;
  /** An earlier report to compare with (loadBaseline); each rule then gets a comparison and `regression` applies. */
  baseline?: Baseline;
}

export async function evaluate(ruleSet: CompiledRuleSet, snapshot: SnapshotInput, now: Date, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("evaluate(): now is an invalid Date");
  const ctx: EvalContext = { nowMs };
  const { settings } = ruleSet;
  const isStale = stalenessCheck(settings.staleAfter, settings.staleAfterMs, new ValueReaders());
  const active = ruleSet.rules.filter((rule) => rule.enforcement !== "disabled");
  const { header } = snapshot;
  const tenantId = header.source.tenantId ?? null;
  const plan = options.baseline === undefined ? undefined : planComparisons(options.baseline, tenantId, ruleSet.rules);
  const columns = plan === undefined ? [] : active.map((rule) => plan[ruleSet.rules.indexOf(rule)]).map((entry) => (entry !== undefined && "rule" in entry ? entry.rule : null));
  // Nothing compared (another tenant, another rule set): the pass tracks nothing.
  const tracker = options.baseline !== undefined && columns.some((c) => c !== null) ? new BaselineTracker(options.baseline, columns) : null;
  const pass = new FleetPass(ruleSet, active, ctx, isStale, settings.unknown === "fail", tracker);
  const stream = typeof snapshot.devices === "function" ? snapshot.devices() : snapshot.devices;
  for await (const device of stream) pass.visit(device);
  const { tallies, matchedCount, groups } = pass;
  pass.failing.rank();

  const rules: RuleResult[] = ruleSet.rules.map((rule, r) => {
    const index = active.indexOf(rule);
    const tally = index === -1 ? newTally() : (tallies[index] as RuleTally);
    const counts = ruleCounts(tally, settings.unknown);
    const status = ruleStatus(counts, { disabled: index === -1, complete: header.complete, minDevices: settings.minDevices, threshold: rule.threshold });
    const result: RuleResult = {
      id: rule.id,
      description: rule.description,
      severity: rule.severity,
      enforcement: rule.enforcement,
      status,
      counts,
      percent: roundedPercent(counts),
      threshold: { minPercent: rule.threshold.minPercent, maxFailing: rule.threshold.maxFailing },
      failingDevices: pass.failing.sortedList(tally.failing),
      comparison: null,
      baselineNote: null,
    };
    return withComparison({ result, rule, exactPercent: exactPercent(counts), plan: plan?.[r], tracker, column: index, newlyFailing: pass.failing.sortedList(tally.newlyFailing) });
  });
  pass.failing.finish();
  const exceptionResults: ExceptionResult[] = ruleSet.exceptions.map((exception, e) => ({
    rule: exception.rule,
    reason: exception.reason,
    expires: exception.expires,
    state: nowMs > exception.expiresAtMs ? "expired" : matchedCount[e] === 0 ? "unused" : "active",
    devicesMatched: matchedCount[e] as number,
  }));
  return {
    report: {
      kind: "avhealth-report",
      schemaVersion: REPORT_SCHEMA_VERSION,
      evaluatedAt: now.toISOString(),
      gate: gateOf(rules),
      snapshot: {
        digest: header.digest,
        method: header.method,
        complete: header.complete,
        deviceCount: header.deviceCount,
        generatedTime: header.generatedTime,
        tenantId,
      },
      baseline: options.baseline?.info ?? null,
      rules,
      exceptions: exceptionResults,
    },
    rbacGroups: groups.list(),
    rulesFile: options.rulesFile ?? ruleSet.file,
    ruleLocations: Object.fromEntries(ruleSet.rules.map((rule) => [rule.id, rule.location])),
  };
}
