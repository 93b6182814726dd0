/**
 * A /api/deviceavinfo record rewritten in the via-files shape (defender-api.md §2.3), carrying exactly the same
 * facts so that a client normalizing either shape gets the same device:
 *  - PascalCase top level; Timestamp is dataRefreshTimestamp; no osKind (clients derive it from OsPlatform);
 *  - DeviceGatheredInfo is a JSON string; inside it AvScanResults is another JSON string;
 *  - the key casing is inconsistent on purpose (AvIsSignatureUptoDate, AvIsEngineUptodate, AvIsPlatformUptodate);
 *  - flags are booleans, null where the API says "Unknown";
 *  - a scan with no result, error or time is null; otherwise {ScanStatus, ErrorCode, Timestamp} with "" → null
 *    (normalization turns "" into null too) and the time string unchanged, 0001-01-01 sentinel included;
 *  - a few non-AV keys and one unknown top-level key, which consumers must ignore.
 */
import type { ApiDeviceRecord } from "../types";

function flagValue(value: unknown): unknown {
  if (value === "True" || value === "true" || value === true) return true;
  if (value === "False" || value === "false" || value === false) return false;
  if (value === "Unknown" || value === "" || value === null || value === undefined) return null;
  return value;
}

function blankToNull(value: unknown): unknown {
  return value === "" || value === undefined ? null : value;
}

function scanResult(result: unknown, error: unknown, time: unknown): Record<string, unknown> | null {
  const status = blankToNull(result);
  const code = blankToNull(error);
  const timestamp = blankToNull(time);
  if (status === null && code === null && timestamp === null) return null;
  return { ScanStatus: status, ErrorCode: code, Timestamp: timestamp };
}

function orNull(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** Non-AV information-gathering keys (DeviceTvmInfoGathering.AdditionalFields), fixed per OS family. */
function otherGatheredKeys(osPlatform: unknown): Record<string, unknown> {
  const platform = typeof osPlatform === "string" ? osPlatform.toLowerCase() : "";
  const windows = platform.startsWith("windows");
  return {
    SslClient20: windows ? false : null,
    TlsServer12: windows ? true : null,
    Log4j_CVE_2021_44228: "NotVulnerable",
    EBPFStatus: windows || platform === "macos" ? null : "Enabled",
    AvSignatureRing: windows ? "Production" : null,
  };
}

export function toFileRecord(api: ApiDeviceRecord): Record<string, unknown> {
  const scans = {
    Quick: scanResult(api.quickScanResult, api.quickScanError, api.quickScanTime),
    Full: scanResult(api.fullScanResult, api.fullScanError, api.fullScanTime),
  };
  const gathered = {
    AvMode: orNull(api.avMode),
    AvEngineVersion: orNull(api.avEngineVersion),
    AvSignatureVersion: orNull(api.avSignatureVersion),
    AvPlatformVersion: orNull(api.avPlatformVersion),
    AvEngineUpdateTime: orNull(api.avEngineUpdateTime),
    AvSignatureUpdateTime: orNull(api.avSignatureUpdateTime),
    AvPlatformUpdateTime: orNull(api.avPlatformUpdateTime),
    AvIsSignatureUptoDate: flagValue(api.avIsSignatureUpToDate),
    AvIsEngineUptodate: flagValue(api.avIsEngineUpToDate),
    AvIsPlatformUptodate: flagValue(api.avIsPlatformUpToDate),
    AvSignaturePublishTime: orNull(api.avSignaturePublishTime),
    AvSignatureDataRefreshTime: orNull(api.avSignatureDataRefreshTime),
    AvModeDataRefreshTime: orNull(api.avModeDataRefreshTime),
    CloudProtectionState: orNull(api.cloudProtectionState),
    AvScanResults: JSON.stringify(scans),
    ...otherGatheredKeys(api.osPlatform),
  };
  return {
    DeviceId: api.machineId ?? api.id,
    DeviceName: orNull(api.computerDnsName),
    OsPlatform: orNull(api.osPlatform),
    OsVersion: orNull(api.osVersion),
    LastSeenTime: orNull(api.lastSeenTime),
    RbacGroupId: orNull(api.rbacGroupId),
    RbacGroupName: orNull(api.rbacGroupName),
    Timestamp: orNull(api.dataRefreshTimestamp),
    DeviceGatheredInfo: JSON.stringify(gathered),
    DeviceCategory: "Endpoint",
  };
}

export function toFileLine(api: ApiDeviceRecord): string {
  return JSON.stringify(toFileRecord(api));
}
