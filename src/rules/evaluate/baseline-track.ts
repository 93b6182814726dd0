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

/** 2^22 bits (512 KB): with a few hundred thousand baseline devices, nearly every other device is told apart here. */
const FILTER_BITS = 22;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/** A cheap hash of the id's first characters (machine ids are random hex, so the start spreads well). */
function prefixHash(id: string): number {
  let h = 0;
  const n = id.length < 12 ? id.length : 12;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return (h ^ (h >>> 15)) & FILTER_MASK;
}

export class BaselineTracker {
  /** outcomes[device * ruleCount + rule]: one of the codes above. */
  readonly outcomes: Uint8Array;
  /** 1 where the device was in the rule's failing list in the baseline. */
  private readonly failedBeforeFlags: Uint8Array;
  /**
   * A one-hash Bloom filter of the baseline's machine ids, checked before the map: a map lookup of a fresh
   * 40-character id costs about a microsecond at a million devices, the filter a few nanoseconds.
   */
  private readonly filter = new Uint8Array((FILTER_MASK + 1) >>> 3);
  /** Per column: whether the rule is compared at all (newly failing devices are only collected for those). */
  readonly comparedColumn: readonly boolean[];

  constructor(
    readonly baseline: Baseline,
    /** Per enabled rule (the pass's order), the baseline rule it is compared with, or null. */
    readonly compared: ReadonlyArray<BaselineRule | null>,
  ) {
    const ruleCount = compared.length;
    this.comparedColumn = compared.map((rule) => rule !== null);
    for (const machineId of baseline.machineIds) {
      const h = prefixHash(machineId);
      this.filter[h >>> 3] = (this.filter[h >>> 3] as number) | (1 << (h & 7));
    }
    this.outcomes = new Uint8Array(baseline.machineIds.length * ruleCount);
    this.failedBeforeFlags = new Uint8Array(baseline.machineIds.length * ruleCount);
    compared.forEach((rule, r) => {
      if (rule === null) return;
      for (let i = 0; i < rule.failing.length; i++) this.failedBeforeFlags[(rule.failing[i] as number) * ruleCount + r] = 1;
    });
  }

  /** The offset of this device's row in outcomes, or -1 when it failed no rule in the baseline. */
  rowOf(machineId: string): number {
    const h = prefixHash(machineId);
    if (((this.filter[h >>> 3] as number) & (1 << (h & 7))) === 0) return -1;
    const index = this.baseline.deviceIndex.get(machineId);
    return index === undefined ? -1 : index * this.compared.length;
  }

  /** Whether the device at `row` (rowOf) was in rule's failing list in the baseline. */
  failedBefore(row: number, rule: number): boolean {
    return row >= 0 && this.failedBeforeFlags[row + rule] === 1;
  }

  /**
   * The baseline's machineId and name of the device at `row` (rowOf), for the failing store to keep instead of
   * the snapshot's equal strings: a device failing in both is then stored once, not twice.
   */
  machineIdAt(row: number): string {
    return this.baseline.machineIds[row / this.compared.length] as string;
  }

  nameAt(row: number): string | null {
    return this.baseline.names[row / this.compared.length] as string | null;
  }

  outcome(deviceIndex: number, rule: number): number {
    return this.outcomes[deviceIndex * this.compared.length + rule] as number;
  }
}
