/**
 * The via-files export record shape (the Defender for Endpoint API documentation) to a NormalizedDevice:
 * PascalCase top level, the AV data inside `DeviceGatheredInfo` (a JSON string or an object), scan results inside
 * `AvScanResults` (again a string or an object), key casing that drifts (`AvIsEngineUptodate`), boolean flags.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { NormalizedDevice } from "../model/device";
import { finishDevice, notAnObject } from "./device";
import { isRecord, KeyLookup } from "./keys";
import { formatLocation, type NormalizeContext } from "./types";

const EMPTY = new KeyLookup({});

export function normalizeFileRecord(raw: unknown, ctx: NormalizeContext): NormalizedDevice {
  if (!isRecord(raw)) throw notAnObject(ctx, "the record");
  const top = new KeyLookup(raw);
  const info = nested(top.get("DeviceGatheredInfo"), "DeviceGatheredInfo", ctx);
  // Top-level keys win over the same key inside DeviceGatheredInfo (as the community mapping merges them).
  // Exact spellings are tried in both objects before any case-insensitive search, which costs an index.
  const get = (name: string): unknown => {
    let value = top.exact(name);
    if (value === undefined) value = info.exact(name);
    if (value === undefined) value = top.loose(name);
    return value === undefined ? info.loose(name) : value;
  };
  const scans = nested(get("AvScanResults"), "AvScanResults", ctx);
  const quick = nested(scans.get("Quick"), "AvScanResults.Quick", ctx);
  const full = nested(scans.get("Full"), "AvScanResults.Full", ctx);
  return finishDevice(
    {
      machineId: top.get("DeviceId"),
      computerDnsName: get("DeviceName") ?? get("ComputerDnsName"),
      // The file shape has no osKind: it is derived from OsPlatform.
      osKind: null,
      osPlatform: get("OsPlatform"),
      osVersion: get("OsVersion"),
      avMode: get("AvMode"),
      avSignatureVersion: get("AvSignatureVersion"),
      avEngineVersion: get("AvEngineVersion"),
      avPlatformVersion: get("AvPlatformVersion"),
      avIsSignatureUpToDate: get("AvIsSignatureUptoDate"),
      avIsEngineUpToDate: get("AvIsEngineUptodate"),
      avIsPlatformUpToDate: get("AvIsPlatformUptodate"),
      quickScanResult: quick.get("ScanStatus"),
      quickScanError: quick.get("ErrorCode"),
      quickScanTime: quick.get("Timestamp"),
      fullScanResult: full.get("ScanStatus"),
      fullScanError: full.get("ErrorCode"),
      fullScanTime: full.get("Timestamp"),
      lastSeenTime: get("LastSeenTime"),
      dataRefreshTimestamp: get("Timestamp") ?? get("DataRefreshTimestamp"),
      avSignatureUpdateTime: get("AvSignatureUpdateTime"),
      avEngineUpdateTime: get("AvEngineUpdateTime"),
      avPlatformUpdateTime: get("AvPlatformUpdateTime"),
      avSignaturePublishTime: get("AvSignaturePublishTime"),
      avSignatureDataRefreshTime: get("AvSignatureDataRefreshTime"),
      avModeDataRefreshTime: get("AvModeDataRefreshTime"),
      cloudProtectionState: get("CloudProtectionState"),
      rbacGroupId: get("RbacGroupId"),
      rbacGroupName: get("RbacGroupName"),
    },
    ctx,
    "DeviceId",
  );
}

/** A nested object given as an object or as its JSON text; null, "" and absence mean "no data". */
function nested(value: unknown, name: string, ctx: NormalizeContext): KeyLookup {
  if (value === null || value === undefined || value === "") return EMPTY;
  if (isRecord(value)) return new KeyLookup(value);
  if (typeof value === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (cause) {
      throw new AvHealthError(
        ErrorCodes.RECORD_INVALID,
        `${formatLocation(ctx.location)}: ${name} is not valid JSON; the record was not included. Check the source data.`,
        { cause, details: { source: ctx.location.source, line: ctx.location.line, reason: "bad-nested-json" } },
      );
    }
    if (parsed === null) return EMPTY;
    if (isRecord(parsed)) return new KeyLookup(parsed);
  }
  throw notAnObject(ctx, name);
}
