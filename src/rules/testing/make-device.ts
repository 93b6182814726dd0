/**
 * Test fixtures: a device that passes every rule of the starter rule file, relative to a given `now`, so each
 * test or rule case changes only the one thing it is about (`makeDevice({ avMode: "passive" })`).
 */
import { createHash } from "node:crypto";
import type { NormalizedDevice } from "../../model/device";

/** The default `now` of fixtures: fixed, so fixtures never depend on the wall clock. */
export const TEST_NOW = new Date("2026-01-15T12:00:00Z");

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface MakeDeviceOptions {
  /** Times are set relative to this instant (default TEST_NOW). */
  now?: Date;
  /** Distinguishes generated devices: machineId and computerDnsName derive from it (default 0). */
  index?: number;
}

/** ISO-8601 UTC in the form normalized snapshots carry (`Date.prototype.toISOString`). */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

export function defaultMachineId(index: number): string {
  return createHash("sha1").update(`avhealth-test-device-${index}`).digest("hex");
}

export function defaultDnsName(index: number): string {
  return `device-${String(index).padStart(5, "0")}.contoso.test`;
}

export function makeDevice(overrides: Partial<NormalizedDevice> = {}, options: MakeDeviceOptions = {}): NormalizedDevice {
  const now = (options.now ?? TEST_NOW).getTime();
  const index = options.index ?? 0;
  const ago = (ms: number): string => isoAt(now - ms);
  return {
    machineId: defaultMachineId(index),
    computerDnsName: defaultDnsName(index),
    osKind: "windows",
    osPlatform: "Windows11",
    osVersion: "10.0.22631.3447",
    avMode: "active",
    avSignatureVersion: "1.421.1520.0",
    avEngineVersion: "1.1.24090.11",
    avPlatformVersion: "4.18.24090.11",
    avIsSignatureUpToDate: true,
    avIsEngineUpToDate: true,
    avIsPlatformUpToDate: true,
    quickScanResult: "Completed",
    quickScanError: null,
    quickScanTime: ago(1 * DAY),
    fullScanResult: "Completed",
    fullScanError: null,
    fullScanTime: ago(5 * DAY),
    lastSeenTime: ago(1 * HOUR),
    dataRefreshTimestamp: ago(2 * HOUR),
    avSignatureUpdateTime: ago(6 * HOUR),
    avEngineUpdateTime: ago(10 * DAY),
    avPlatformUpdateTime: ago(10 * DAY),
    avSignaturePublishTime: ago(8 * HOUR),
    avSignatureDataRefreshTime: ago(2 * HOUR),
    avModeDataRefreshTime: ago(2 * HOUR),
    cloudProtectionState: "Enabled",
    rbacGroupId: 1,
    rbacGroupName: "Workstations",
    ...overrides,
  };
}

/** An async iterable over an in-memory list, the shape evaluate() streams from. */
export async function* streamOf(devices: Iterable<NormalizedDevice>): AsyncGenerator<NormalizedDevice> {
  for (const device of devices) yield device;
}
