/** An earlier JSON report read as a baseline: only what a comparison needs, the rest is dropped after loading. */
import type { BaselineDevice, ReportBaselineInfo } from "../report-model/types";
import type { DeviceLookup } from "./id-index";

export interface BaselineRule {
  status: "pass" | "fail" | "indeterminate" | "disabled";
  /** As written in the baseline (rounded to two decimals by the writer). */
  percent: number;
  /** Indexes into Baseline.devices, one per failingDevices entry of the rule. */
  failing: Int32Array;
}

export interface Baseline {
  info: ReportBaselineInfo;
  /** The baseline's snapshot.tenantId; null when it does not say (version 1 reports, local inputs). */
  tenantId: string | null;
  /**
   * Every device that failed some rule in the baseline, once each (a device failing 20 rules is stored once): a
   * read-only view over machineIds and names that builds each object when it is read.
   */
  devices: readonly BaselineDevice[];
  /** The same devices' ids and names by index, held as two arrays (a million objects would cost ~40 MB more). */
  machineIds: readonly string[];
  names: ReadonlyArray<string | null>;
  /** machineId → index into devices. */
  deviceIndex: DeviceLookup;
  rules: ReadonlyMap<string, BaselineRule>;
}
