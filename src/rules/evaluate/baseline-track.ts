/**
 * What the one pass records for a baseline: for every device that failed a compared rule in the baseline, its
 * outcome now under each enabled rule. Only those devices are tracked (one map lookup per device, then a byte per
 * rule), so a 1,000,000-device fleet costs a lookup each and the baseline's failing devices a few bytes each.
 */
import type { Baseline, BaselineRule } from "../../baseline/types";

/** Not in the snapshot, or out of the rule's scope: both read as "left". */
export const NOT_SEEN = 0;
/** In scope and not failing (pass, or unknown when unknown devices are not counted as failing). */
export const NOT_FAILING = 1;
export const WAIVED_NOW = 2;
/** In scope and in the rule's failingDevices now. */
export const FAILING_NOW = 3;

export class BaselineTracker {
  /** outcomes[device * ruleCount + rule]: one of the codes above. */
  readonly outcomes: Uint8Array;
  /** 1 where the device was in the rule's failing list in the baseline. */
  private readonly failedBefore: Uint8Array;

  constructor(
    readonly baseline: Baseline,
    /** Per enabled rule (the pass's order), the baseline rule it is compared with, or null. */
    readonly compared: ReadonlyArray<BaselineRule | null>,
  ) {
    const ruleCount = compared.length;
    this.outcomes = new Uint8Array(baseline.devices.length * ruleCount);
    this.failedBefore = new Uint8Array(baseline.devices.length * ruleCount);
    compared.forEach((rule, r) => {
      if (rule === null) return;
      for (let i = 0; i < rule.failing.length; i++) this.failedBefore[(rule.failing[i] as number) * ruleCount + r] = 1;
    });
  }

  /** The offset of this device's row in outcomes, or -1 when it failed no rule in the baseline. */
  rowOf(machineId: string): number {
    const index = this.baseline.deviceIndex.get(machineId);
    return index === undefined ? -1 : index * this.compared.length;
  }

  failedInBaseline(machineId: string, rule: number): boolean {
    const row = this.rowOf(machineId);
    return row >= 0 && this.failedBefore[row + rule] === 1;
  }

  outcome(deviceIndex: number, rule: number): number {
    return this.outcomes[deviceIndex * this.compared.length + rule] as number;
  }
}
