import type { NormalizedDevice } from "../../src/model/device";

/** A compliant, fresh device; each test changes one thing. */
export function makeDevice(overrides: Partial<NormalizedDevice> = {}): NormalizedDevice {
  return {
    machineId: "m-0001",
    computerDnsName: "pc1.contoso.com",
    osKind: "windows",
    osPlatform: "Windows11",
    osVersion: "10.0.22631.3447",
    avMode: "active",
    avSignatureVersion: "1.409.1.0",
    avEngineVersion: "1.1.24030.4",
    avPlatformVersion: "4.18.24030.9",
    avIsSignatureUpToDate: true,
    avIsEngineUpToDate: true,
    avIsPlatformUpToDate: true,
    quickScanResult: "Completed",
    quickScanError: null,
    quickScanTime: "2024-04-30T18:40:15.882Z",
    fullScanResult: null,
    fullScanError: null,
    fullScanTime: null,
    lastSeenTime: "2024-05-01T10:00:00.000Z",
    dataRefreshTimestamp: "2024-05-01T12:00:00.000Z",
    avSignatureUpdateTime: "2024-04-30T00:03:40.000Z",
    avEngineUpdateTime: "2024-04-30T00:03:39.000Z",
    avPlatformUpdateTime: "2024-04-20T16:59:35.000Z",
    avSignaturePublishTime: "2024-04-30T20:00:00.000Z",
    avSignatureDataRefreshTime: "2024-05-01T09:00:00.000Z",
    avModeDataRefreshTime: "2024-05-01T09:30:00.000Z",
    cloudProtectionState: "Enabled",
    rbacGroupId: 712,
    rbacGroupName: "SampleGroup",
    ...overrides,
  };
}

export const FETCHED_AT = new Date("2024-05-02T00:00:00.000Z");
