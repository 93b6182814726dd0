/** One device in both raw shapes (compliant by default; each test changes one thing) and its expected record. */
import type { NormalizedDevice } from "../../src/model/device";

export function jsonRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "30a8fa2826abf24d24379b23f8a44d471f00feab",
    machineId: "30a8fa2826abf24d24379b23f8a44d471f00feab",
    computerDnsName: "pc1.contoso.com",
    osKind: "windows",
    osPlatform: "Windows11",
    osVersion: "10.0.22631.3447",
    avMode: "0",
    avSignatureVersion: "1.409.1.0",
    avEngineVersion: "1.1.24030.4",
    avPlatformVersion: "4.18.24030.9",
    lastSeenTime: "2024-05-01T10:00:00Z",
    quickScanResult: "Completed",
    quickScanError: "",
    quickScanTime: "2024-04-30T18:40:15.882Z",
    fullScanResult: "Failed",
    fullScanError: "0x80508023",
    fullScanTime: "2024-04-29T01:02:03Z",
    dataRefreshTimestamp: "2024-05-01T12:01:00Z",
    avEngineUpdateTime: "2024-04-30T00:03:39Z",
    avSignatureUpdateTime: "2024-04-30T00:03:40Z",
    avPlatformUpdateTime: "2024-04-20T16:59:35Z",
    avIsSignatureUpToDate: "True",
    avIsEngineUpToDate: "False",
    avIsPlatformUpToDate: "Unknown",
    avSignaturePublishTime: "2024-04-30T20:00:00Z",
    avSignatureDataRefreshTime: "2024-05-01T09:00:00Z",
    avModeDataRefreshTime: "2024-05-01T09:30:00Z",
    cloudProtectionState: "Enabled",
    rbacGroupName: "SampleGroup",
    rbacGroupId: 712,
    ...overrides,
  };
}

export interface FileRecordParts {
  top?: Record<string, unknown>;
  info?: Record<string, unknown>;
  scans?: Record<string, unknown>;
  /** Keep DeviceGatheredInfo / AvScanResults as objects instead of JSON strings. */
  asObjects?: boolean;
}

export function fileRecord(parts: FileRecordParts = {}): Record<string, unknown> {
  // Quick/Full changes merge into the defaults; null replaces the whole scan.
  const scan = (name: string, base: Record<string, unknown>): unknown => {
    const change = parts.scans?.[name];
    return change === null ? null : { ...base, ...(change as Record<string, unknown> | undefined) };
  };
  const scans = {
    ...parts.scans,
    Quick: scan("Quick", { ScanStatus: "Completed", ErrorCode: null, Timestamp: "2024-04-30T18:40:15.882Z" }),
    Full: scan("Full", { ScanStatus: "Failed", ErrorCode: "0x80508023", Timestamp: "2024-04-29T01:02:03Z" }),
  };
  const info = {
    AvMode: "0",
    AvEngineVersion: "1.1.24030.4",
    AvSignatureVersion: "1.409.1.0",
    AvPlatformVersion: "4.18.24030.9",
    AvEngineUpdateTime: "2024-04-30T00:03:39Z",
    AvSignatureUpdateTime: "2024-04-30T00:03:40Z",
    AvPlatformUpdateTime: "2024-04-20T16:59:35Z",
    AvIsSignatureUptoDate: true,
    AvIsEngineUptodate: false,
    AvIsPlatformUptodate: null,
    AvSignaturePublishTime: "2024-04-30T20:00:00Z",
    AvSignatureDataRefreshTime: "2024-05-01T09:00:00Z",
    AvModeDataRefreshTime: "2024-05-01T09:30:00Z",
    CloudProtectionState: "Enabled",
    AvSignatureRing: "4",
    Log4j_CVE_2021_44228: "false",
    AvScanResults: parts.asObjects ? scans : JSON.stringify(scans),
    ...parts.info,
  };
  return {
    DeviceId: "30a8fa2826abf24d24379b23f8a44d471f00feab",
    DeviceName: "pc1.contoso.com",
    OsPlatform: "Windows11",
    OsVersion: "10.0.22631.3447",
    LastSeenTime: "2024-05-01T10:00:00Z",
    RbacGroupId: 712,
    RbacGroupName: "SampleGroup",
    Timestamp: "2024-05-01T12:01:00Z",
    DeviceGatheredInfo: parts.asObjects ? info : JSON.stringify(info),
    ...parts.top,
  };
}

export const EXPECTED: NormalizedDevice = {
  machineId: "30a8fa2826abf24d24379b23f8a44d471f00feab",
  computerDnsName: "pc1.contoso.com",
  osKind: "windows",
  osPlatform: "Windows11",
  osVersion: "10.0.22631.3447",
  avMode: "active",
  avSignatureVersion: "1.409.1.0",
  avEngineVersion: "1.1.24030.4",
  avPlatformVersion: "4.18.24030.9",
  avIsSignatureUpToDate: true,
  avIsEngineUpToDate: false,
  avIsPlatformUpToDate: null,
  quickScanResult: "Completed",
  quickScanError: null,
  quickScanTime: "2024-04-30T18:40:15.882Z",
  fullScanResult: "Failed",
  fullScanError: "0x80508023",
  fullScanTime: "2024-04-29T01:02:03.000Z",
  lastSeenTime: "2024-05-01T10:00:00.000Z",
  dataRefreshTimestamp: "2024-05-01T12:01:00.000Z",
  avSignatureUpdateTime: "2024-04-30T00:03:40.000Z",
  avEngineUpdateTime: "2024-04-30T00:03:39.000Z",
  avPlatformUpdateTime: "2024-04-20T16:59:35.000Z",
  avSignaturePublishTime: "2024-04-30T20:00:00.000Z",
  avSignatureDataRefreshTime: "2024-05-01T09:00:00.000Z",
  avModeDataRefreshTime: "2024-05-01T09:30:00.000Z",
  cloudProtectionState: "Enabled",
  rbacGroupId: 712,
  rbacGroupName: "SampleGroup",
};
