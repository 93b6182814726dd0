/**
 * A test-side normalizer written from docs/rules.md, independent of the client's: it lets the emulator
 * tests check that both export shapes carry the same facts for every device.
 */
import { AV_MODE_BY_CODE, serializeDevice, type NormalizedDevice } from "../../src/model/device";

type Json = Record<string, unknown>;
const SENTINEL = "0001-01-01T00:00:00Z";

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
function time(value: unknown): string | null {
  const s = str(value);
  return s === SENTINEL ? null : s;
}
function scanResult(value: unknown): string | null {
  const s = str(value);
  return s === "Cancelled" ? "Canceled" : s;
}
function flag(value: unknown): boolean | null {
  if (value === true || value === "True" || value === "true") return true;
  if (value === false || value === "False" || value === "false") return false;
  return null;
}
function avMode(value: unknown): NormalizedDevice["avMode"] {
  return AV_MODE_BY_CODE[typeof value === "string" ? value : ""] ?? "other";
}

export function fromJson(r: Json): string {
  return serializeDevice({
    machineId: String(r.machineId),
    computerDnsName: str(r.computerDnsName),
    osKind: str(r.osKind),
    osPlatform: str(r.osPlatform),
    osVersion: str(r.osVersion),
    avMode: avMode(r.avMode),
    avSignatureVersion: str(r.avSignatureVersion),
    avEngineVersion: str(r.avEngineVersion),
    avPlatformVersion: str(r.avPlatformVersion),
    avIsSignatureUpToDate: flag(r.avIsSignatureUpToDate),
    avIsEngineUpToDate: flag(r.avIsEngineUpToDate),
    avIsPlatformUpToDate: flag(r.avIsPlatformUpToDate),
    quickScanResult: scanResult(r.quickScanResult),
    quickScanError: str(r.quickScanError),
    quickScanTime: time(r.quickScanTime),
    fullScanResult: scanResult(r.fullScanResult),
    fullScanError: str(r.fullScanError),
    fullScanTime: time(r.fullScanTime),
    lastSeenTime: time(r.lastSeenTime),
    dataRefreshTimestamp: time(r.dataRefreshTimestamp),
    avSignatureUpdateTime: time(r.avSignatureUpdateTime),
    avEngineUpdateTime: time(r.avEngineUpdateTime),
    avPlatformUpdateTime: time(r.avPlatformUpdateTime),
    avSignaturePublishTime: time(r.avSignaturePublishTime),
    avSignatureDataRefreshTime: time(r.avSignatureDataRefreshTime),
    avModeDataRefreshTime: time(r.avModeDataRefreshTime),
    cloudProtectionState: str(r.cloudProtectionState),
    rbacGroupId: typeof r.rbacGroupId === "number" ? r.rbacGroupId : null,
    rbacGroupName: str(r.rbacGroupName),
  });
}

function osKindOf(platform: string | null): string | null {
  const p = (platform ?? "").toLowerCase();
  if (p.startsWith("windows")) return "windows";
  if (p === "macos") return "mac";
  if (["linux", "ubuntu", "redhatenterpriselinux"].includes(p)) return "linux";
  return null;
}

function get(obj: Json, key: string): unknown {
  const wanted = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === wanted);
  return found === undefined ? undefined : obj[found];
}

export function fromFileLine(line: string): string {
  const top = JSON.parse(line) as Json;
  const gathered = JSON.parse(String(top.DeviceGatheredInfo)) as Json;
  const scans = JSON.parse(String(gathered.AvScanResults)) as { Quick: Json | null; Full: Json | null };
  const quick = scans.Quick ?? {};
  const full = scans.Full ?? {};
  return fromJson({
    machineId: top.DeviceId,
    computerDnsName: top.DeviceName,
    osKind: osKindOf(str(top.OsPlatform)),
    osPlatform: top.OsPlatform,
    osVersion: top.OsVersion,
    avMode: get(gathered, "AvMode"),
    avSignatureVersion: get(gathered, "AvSignatureVersion"),
    avEngineVersion: get(gathered, "AvEngineVersion"),
    avPlatformVersion: get(gathered, "AvPlatformVersion"),
    avIsSignatureUpToDate: get(gathered, "AvIsSignatureUpToDate"),
    avIsEngineUpToDate: get(gathered, "AvIsEngineUpToDate"),
    avIsPlatformUpToDate: get(gathered, "AvIsPlatformUpToDate"),
    quickScanResult: quick.ScanStatus,
    quickScanError: quick.ErrorCode,
    quickScanTime: quick.Timestamp,
    fullScanResult: full.ScanStatus,
    fullScanError: full.ErrorCode,
    fullScanTime: full.Timestamp,
    lastSeenTime: top.LastSeenTime,
    dataRefreshTimestamp: top.Timestamp,
    avSignatureUpdateTime: get(gathered, "AvSignatureUpdateTime"),
    avEngineUpdateTime: get(gathered, "AvEngineUpdateTime"),
    avPlatformUpdateTime: get(gathered, "AvPlatformUpdateTime"),
    avSignaturePublishTime: get(gathered, "AvSignaturePublishTime"),
    avSignatureDataRefreshTime: get(gathered, "AvSignatureDataRefreshTime"),
    avModeDataRefreshTime: get(gathered, "AvModeDataRefreshTime"),
    cloudProtectionState: get(gathered, "CloudProtectionState"),
    rbacGroupId: top.RbacGroupId,
    rbacGroupName: top.RbacGroupName,
  });
}
