import type { NormalizedDevice } from "../../src/model/device";
import { EXPECTED } from "../normalize/fixtures";

/** A compliant, fresh device (the normalization fixture, fully up to date, no full scan); each test changes one thing. */
export function makeDevice(overrides: Partial<NormalizedDevice> = {}): NormalizedDevice {
  return {
    ...EXPECTED,
    machineId: "m-0001",
    avIsEngineUpToDate: true,
    avIsPlatformUpToDate: true,
    fullScanResult: null,
    fullScanError: null,
    fullScanTime: null,
    ...overrides,
  };
}

export const FETCHED_AT = new Date("2024-05-02T00:00:00.000Z");
