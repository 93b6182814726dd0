/** Per-rule counters and failing entries, filled during the single pass over the fleet. */
import type { FailingDevice } from "../../report-model/types";
import { EntryColumns } from "./failing-store";

export interface RuleTally {
  inScope: number;
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
  /** The failing entries in pass order (rows of the evaluation's FailingStore). */
  failing: EntryColumns;
  /** With a baseline and a compared rule: the failing entries not in the baseline's list, in pass order. */
  newlyFailing: EntryColumns;
}

export function newTally(): RuleTally {
  return { inScope: 0, pass: 0, fail: 0, unknown: 0, waived: 0, failing: new EntryColumns(), newlyFailing: new EntryColumns() };
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
