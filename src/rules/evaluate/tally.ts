/** Per-rule counters and failing-device list, filled during the single pass over the fleet. */
import type { FailingDevice } from "../../report-model/types";

export interface RuleTally {
  inScope: number;
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
  failingDevices: FailingDevice[];
  /** With a baseline and a compared rule: the failing devices not in the baseline's list, in pass order. */
  newlyFailing: FailingDevice[];
}

export function newTally(): RuleTally {
  return { inScope: 0, pass: 0, fail: 0, unknown: 0, waived: 0, failingDevices: [], newlyFailing: [] };
}

/**
 * Reasons repeat across a fleet ("avIsSignatureUpToDate is false" for thousands of devices); keeping one copy
 * of each keeps a large failing list small. Bounded, so a fleet of unique reasons cannot grow it forever.
 */
export class ReasonPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly limit = 50_000) {}

  intern(reason: string): string {
    const known = this.pool.get(reason);
    if (known !== undefined) return known;
    if (this.pool.size < this.limit) this.pool.set(reason, reason);
    return reason;
  }
}

/** computerDnsName, then machineId, by UTF-16 code units (locale-free, so every runner sorts alike); no name sorts last. */
export function compareFailing(a: Pick<FailingDevice, "machineId" | "computerDnsName">, b: Pick<FailingDevice, "machineId" | "computerDnsName">): number {
  if (a.computerDnsName !== b.computerDnsName) {
    if (a.computerDnsName === null) return 1;
    if (b.computerDnsName === null) return -1;
    return a.computerDnsName < b.computerDnsName ? -1 : 1;
  }
  return a.machineId < b.machineId ? -1 : a.machineId > b.machineId ? 1 : 0;
}
