/**
 * evaluate(): ONE streaming pass over the fleet for all rules together. Per device, each selector is judged at
 * most once, each exception once, staleness once; the fleet itself is never collected, only per-rule
 * counters and the failing-device lists the report must carry.
 */
import type { NormalizedDevice } from "../../model/device";
import type { EvaluationResult, ExceptionResult, RuleResult } from "../../report/types";
import type { SnapshotHeader } from "../../snapshot/types";
import { ValueReaders } from "../operators/values";
import { FAIL, PASS, UNKNOWN, type CompiledRuleSet, type EvalContext, type Outcome } from "../types";
import { gateOf } from "./gate";
import { GroupTally } from "./groups";
import { stalenessCheck } from "./staleness";
import { roundedPercent, ruleCounts, ruleStatus } from "./status";
import { compareFailing, newTally, ReasonPool, type RuleTally } from "./tally";

export interface SnapshotInput {
  header: SnapshotHeader;
  /** The devices, or a function that opens them (the shape readSnapshot() returns). Read once. */
  devices: AsyncIterable<NormalizedDevice> | (() => AsyncIterable<NormalizedDevice>);
}

export interface EvaluateOptions {
  /** The rule file named in the result (SARIF locations, JUnit suite names); default the loader's file name. */
  rulesFile?: string;
}

export async function evaluate(ruleSet: CompiledRuleSet, snapshot: SnapshotInput, now: Date, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("evaluate(): now is an invalid Date");
  const ctx: EvalContext = { nowMs };
  const { settings, selectors, exceptions } = ruleSet;
  const unknownCounts = settings.unknown === "fail";
  const isStale = stalenessCheck(settings.staleAfter, settings.staleAfterMs, new ValueReaders());
  const reasons = new ReasonPool();
  const groups = new GroupTally();

  const active = ruleSet.rules.filter((rule) => rule.enforcement !== "disabled");
  const tallies = active.map(() => newTally());
  // For each active rule, the unexpired exceptions that name it (or "*").
  const waivers = active.map((rule) =>
    exceptions.flatMap((exception, index) => ((exception.rule === rule.id || exception.rule === "*") && nowMs <= exception.expiresAtMs ? [index] : [])),
  );
  const matchedCount = new Array<number>(exceptions.length).fill(0);
  const matched = new Array<boolean>(exceptions.length).fill(false);
  const byDeviceList = exceptions.some((exception) => exception.devices.size > 0);

  // Selector outcomes memoized per device: `stamp` says which device the cached outcome belongs to.
  const stamp = new Float64Array(selectors.length).fill(-1);
  const cached = new Array<Outcome>(selectors.length).fill(UNKNOWN);
  let deviceIndex = 0;
  let device!: NormalizedDevice;
  const selector = (index: number): Outcome => {
    if (stamp[index] !== deviceIndex) {
      stamp[index] = deviceIndex;
      cached[index] = (selectors[index] as (typeof selectors)[number]).test(device, ctx);
    }
    return cached[index] as Outcome;
  };

  const stream = typeof snapshot.devices === "function" ? snapshot.devices() : snapshot.devices;
  for await (device of stream) {
    deviceIndex++;
    const idKey = byDeviceList ? device.machineId.toLowerCase() : "";
    const nameKey = byDeviceList && device.computerDnsName !== null ? device.computerDnsName.toLowerCase() : null;
    for (let e = 0; e < exceptions.length; e++) {
      const exception = exceptions[e] as (typeof exceptions)[number];
      const hit =
        (exception.devices.size > 0 && (exception.devices.has(idKey) || (nameKey !== null && exception.devices.has(nameKey)))) ||
        (exception.scopeIndex >= 0 && selector(exception.scopeIndex) === PASS);
      matched[e] = hit;
      if (hit) matchedCount[e]++;
    }
    let stale: string | null | undefined;
    const group = groups.of(device.rbacGroupName);
    for (let r = 0; r < active.length; r++) {
      const rule = active[r] as (typeof active)[number];
      if (rule.scopeIndex >= 0 && selector(rule.scopeIndex) !== PASS) continue;
      const tally = tallies[r] as RuleTally;
      tally.inScope++;
      if ((waivers[r] as number[]).some((e) => matched[e])) {
        tally.waived++;
        group.waived++;
        continue;
      }
      if (stale === undefined) stale = isStale(device, nowMs);
      const outcome = stale !== null ? UNKNOWN : rule.require.test(device, ctx);
      if (outcome === PASS) {
        tally.pass++;
        group.pass++;
      } else {
        if (outcome === FAIL) {
          tally.fail++;
          group.fail++;
        } else {
          tally.unknown++;
          group.unknown++;
        }
        if (outcome === FAIL || unknownCounts) {
          const reason = stale ?? rule.require.explain(device, ctx);
          tally.failingDevices.push({ machineId: device.machineId, computerDnsName: device.computerDnsName, outcome: outcome === FAIL ? "fail" : "unknown", reason: reasons.intern(reason) });
        }
      }
    }
  }

  const { header } = snapshot;
  const rules: RuleResult[] = ruleSet.rules.map((rule) => {
    const index = active.indexOf(rule);
    const tally = index === -1 ? newTally() : (tallies[index] as RuleTally);
    const counts = ruleCounts(tally, settings.unknown);
    const status = ruleStatus(counts, { disabled: index === -1, complete: header.complete, minDevices: settings.minDevices, threshold: rule.threshold });
    return {
      id: rule.id,
      description: rule.description,
      severity: rule.severity,
      enforcement: rule.enforcement,
      status,
      counts,
      percent: roundedPercent(counts),
      threshold: { minPercent: rule.threshold.minPercent, maxFailing: rule.threshold.maxFailing },
      failingDevices: tally.failingDevices.sort(compareFailing),
    };
  });
  const exceptionResults: ExceptionResult[] = exceptions.map((exception, e) => ({
    rule: exception.rule,
    reason: exception.reason,
    expires: exception.expires,
    state: nowMs > exception.expiresAtMs ? "expired" : matchedCount[e] === 0 ? "unused" : "active",
    devicesMatched: matchedCount[e] as number,
  }));
  return {
    report: {
      kind: "avhealth-report",
      schemaVersion: 1,
      evaluatedAt: now.toISOString(),
      gate: gateOf(rules),
      snapshot: {
        digest: header.digest,
        method: header.method,
        complete: header.complete,
        deviceCount: header.deviceCount,
        generatedTime: header.generatedTime,
      },
      rules,
      exceptions: exceptionResults,
    },
    rbacGroups: groups.list(),
    rulesFile: options.rulesFile ?? ruleSet.file,
    ruleLocations: Object.fromEntries(ruleSet.rules.map((rule) => [rule.id, rule.location])),
  };
}
