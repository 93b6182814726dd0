/**
 * The per-device work of an evaluation, kept in one class so the hot loop reads plain fields: for each device,
 * each exception is matched once, each selector judged at most once (memoized across the rules that share it),
 * staleness decided at most once, then every enabled rule updates its tally. With a baseline, a device that
 * failed in it also has its outcome per rule recorded (baseline-track.ts).
 */
import type { NormalizedDevice } from "../../model/device";
import { FAIL, PASS, UNKNOWN, type CompiledException, type CompiledRule, type CompiledRuleSet, type EvalContext, type Outcome } from "../types";
import { FAILING_NOW, NOT_FAILING, WAIVED_NOW, type BaselineTracker } from "./baseline-track";
import { GroupTally } from "./groups";
import type { StaleCheck } from "./staleness";
import { FailingStore } from "./failing-store";
import { newTally, type RuleTally } from "./tally";

export class FleetPass {
  readonly tallies: RuleTally[];
  /** Devices each exception matched, whatever the rules' scopes and the expiry. */
  readonly matchedCount: number[];
  readonly groups = new GroupTally();
  private readonly exceptions: readonly CompiledException[];
  private readonly selectors: CompiledRuleSet["selectors"];
  /** For each enabled rule, the indexes of the unexpired exceptions that name it (or "*"). */
  private readonly waivers: number[][];
  private readonly matched: boolean[];
  private readonly byDeviceList: boolean;
  private readonly selectorStamp: Float64Array;
  private readonly selectorOutcome: Outcome[];
  /** The failing devices' ids and names, once each, and the distinct reasons (failing-store.ts). */
  readonly failing = new FailingStore();
  private deviceIndex = 0;

  constructor(
    ruleSet: CompiledRuleSet,
    private readonly rules: readonly CompiledRule[],
    private readonly ctx: EvalContext,
    private readonly isStale: StaleCheck,
    /** settings.unknown is "fail": unknown devices are listed as failing. */
    private readonly listUnknown: boolean,
    private readonly tracker: BaselineTracker | null = null,
  ) {
    this.exceptions = ruleSet.exceptions;
    this.selectors = ruleSet.selectors;
    this.tallies = rules.map(() => newTally());
    this.waivers = rules.map((rule) =>
      this.exceptions.flatMap((e, index) => ((e.rule === rule.id || e.rule === "*") && ctx.nowMs <= e.expiresAtMs ? [index] : [])),
    );
    this.matchedCount = this.exceptions.map(() => 0);
    this.matched = this.exceptions.map(() => false);
    this.byDeviceList = this.exceptions.some((e) => e.devices.size > 0);
    this.selectorStamp = new Float64Array(this.selectors.length).fill(-1);
    this.selectorOutcome = this.selectors.map(() => UNKNOWN);
  }

  visit(device: NormalizedDevice): void {
    this.deviceIndex++;
    this.matchExceptions(device);
    const group = this.groups.of(device.rbacGroupName);
    let stale: string | null | undefined;
    // The device's row in the failing store, taken on its first failure.
    let failingRow = -1;
    // Untracked devices (-1) skip the recording; a tracked device left out of scope keeps NOT_SEEN.
    const row = this.tracker === null ? -1 : this.tracker.rowOf(device.machineId);
    const outcomes = this.tracker?.outcomes;
    for (let r = 0; r < this.rules.length; r++) {
      const rule = this.rules[r] as CompiledRule;
      if (rule.scopeIndex >= 0 && this.selector(rule.scopeIndex, device) !== PASS) continue;
      const tally = this.tallies[r] as RuleTally;
      tally.inScope++;
      if (this.waived(this.waivers[r] as number[])) {
        tally.waived++;
        group.waived++;
        if (row >= 0) (outcomes as Uint8Array)[row + r] = WAIVED_NOW;
        continue;
      }
      if (stale === undefined) stale = this.isStale(device, this.ctx.nowMs);
      const outcome = stale !== null ? UNKNOWN : rule.require.test(device, this.ctx);
      if (outcome === PASS) {
        tally.pass++;
        group.pass++;
        if (row >= 0) (outcomes as Uint8Array)[row + r] = NOT_FAILING;
        continue;
      }
      if (outcome === FAIL) {
        tally.fail++;
        group.fail++;
      } else {
        tally.unknown++;
        group.unknown++;
        if (!this.listUnknown) {
          if (row >= 0) (outcomes as Uint8Array)[row + r] = NOT_FAILING;
          continue;
        }
      }
      if (row >= 0) (outcomes as Uint8Array)[row + r] = FAILING_NOW;
      if (failingRow < 0) failingRow = this.addFailingDevice(device, row);
      const reason = this.failing.reason(stale ?? rule.require.explain(device, this.ctx));
      tally.failing.push(failingRow, reason, outcome === FAIL);
      // Decided here, where the device's baseline row is known, rather than by a second lookup per failing device.
      if (this.tracker !== null && this.tracker.comparedColumn[r] === true && !this.tracker.failedBefore(row, r)) tally.newlyFailing.push(failingRow, reason, outcome === FAIL);
    }
  }

  /** The baseline's equal strings when the device is in it (one copy in memory for both), else the snapshot's. */
  private addFailingDevice(device: NormalizedDevice, baselineRow: number): number {
    if (baselineRow < 0 || this.tracker === null) return this.failing.addDevice(device.machineId, device.computerDnsName, device);
    const name = this.tracker.nameAt(baselineRow);
    return this.failing.addDevice(this.tracker.machineIdAt(baselineRow), name === device.computerDnsName ? name : device.computerDnsName, device);
  }

  private matchExceptions(device: NormalizedDevice): void {
    const idKey = this.byDeviceList ? device.machineId.toLowerCase() : "";
    const nameKey = this.byDeviceList && device.computerDnsName !== null ? device.computerDnsName.toLowerCase() : null;
    for (let e = 0; e < this.exceptions.length; e++) {
      const exception = this.exceptions[e] as CompiledException;
      const hit =
        (exception.devices.size > 0 && (exception.devices.has(idKey) || (nameKey !== null && exception.devices.has(nameKey)))) ||
        (exception.scopeIndex >= 0 && this.selector(exception.scopeIndex, device) === PASS);
      this.matched[e] = hit;
      if (hit) this.matchedCount[e] = (this.matchedCount[e] as number) + 1;
    }
  }

  /** A selector's outcome for this device, judged once however many rules and exceptions use it. */
  private selector(index: number, device: NormalizedDevice): Outcome {
    if (this.selectorStamp[index] !== this.deviceIndex) {
      this.selectorStamp[index] = this.deviceIndex;
      this.selectorOutcome[index] = (this.selectors[index] as CompiledRuleSet["selectors"][number]).test(device, this.ctx);
    }
    return this.selectorOutcome[index] as Outcome;
  }

  /** A plain loop: this runs for every device and rule, where a closure per call would feed the GC. */
  private waived(exceptionIndexes: readonly number[]): boolean {
    for (let i = 0; i < exceptionIndexes.length; i++) if (this.matched[exceptionIndexes[i] as number]) return true;
    return false;
  }
}
