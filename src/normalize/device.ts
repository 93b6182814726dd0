/**
 * The one place raw values become a NormalizedDevice. Both record shapes first gather their raw values under
 * the normalized field names (RawDevice) and then pass through here, so the same device gives the same record
 * whichever export method delivered it.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { DeviceField, NormalizedDevice } from "../model/device";
import { formatLocation, type NormalizeContext } from "./types";
import { toAvMode, toGroupId, toOsKind, toScanResult, toText, toTime, toTriState, type Warn } from "./values";

/** Raw values keyed by normalized field name; osKind is the record's own value, if it has one. */
export type RawDevice = { readonly [K in DeviceField]: unknown };

export function finishDevice(raw: RawDevice, ctx: NormalizeContext, idKey: string): NormalizedDevice {
  const machineId = toText(raw.machineId, "machineId", () => undefined);
  if (machineId === null) {
    throw new AvHealthError(
      ErrorCodes.RECORD_INVALID,
      `${formatLocation(ctx.location)}: the record has no ${idKey}, so it cannot be identified; it was not included. ` +
        "Check the source data; the snapshot is marked incomplete.",
      { details: { source: ctx.location.source, line: ctx.location.line, reason: "missing-id" } },
    );
  }
  const warn: Warn = (field, message) =>
    ctx.onWarning?.({ location: ctx.location, field: field as DeviceField, message: `${field}: ${message}` });
  const osPlatform = toText(raw.osPlatform, "osPlatform", warn);
  return {
    machineId,
    computerDnsName: toText(raw.computerDnsName, "computerDnsName", warn),
    osKind: toOsKind(toText(raw.osKind, "osKind", warn), osPlatform),
    osPlatform,
    osVersion: toText(raw.osVersion, "osVersion", warn),
    avMode: toAvMode(raw.avMode),
    avSignatureVersion: toText(raw.avSignatureVersion, "avSignatureVersion", warn),
    avEngineVersion: toText(raw.avEngineVersion, "avEngineVersion", warn),
    avPlatformVersion: toText(raw.avPlatformVersion, "avPlatformVersion", warn),
    avIsSignatureUpToDate: toTriState(raw.avIsSignatureUpToDate, "avIsSignatureUpToDate", warn),
    avIsEngineUpToDate: toTriState(raw.avIsEngineUpToDate, "avIsEngineUpToDate", warn),
    avIsPlatformUpToDate: toTriState(raw.avIsPlatformUpToDate, "avIsPlatformUpToDate", warn),
    quickScanResult: toScanResult(raw.quickScanResult, "quickScanResult", warn),
    quickScanError: toText(raw.quickScanError, "quickScanError", warn),
    quickScanTime: toTime(raw.quickScanTime, "quickScanTime", warn),
    fullScanResult: toScanResult(raw.fullScanResult, "fullScanResult", warn),
    fullScanError: toText(raw.fullScanError, "fullScanError", warn),
    fullScanTime: toTime(raw.fullScanTime, "fullScanTime", warn),
    lastSeenTime: toTime(raw.lastSeenTime, "lastSeenTime", warn),
    dataRefreshTimestamp: toTime(raw.dataRefreshTimestamp, "dataRefreshTimestamp", warn),
    avSignatureUpdateTime: toTime(raw.avSignatureUpdateTime, "avSignatureUpdateTime", warn),
    avEngineUpdateTime: toTime(raw.avEngineUpdateTime, "avEngineUpdateTime", warn),
    avPlatformUpdateTime: toTime(raw.avPlatformUpdateTime, "avPlatformUpdateTime", warn),
    avSignaturePublishTime: toTime(raw.avSignaturePublishTime, "avSignaturePublishTime", warn),
    avSignatureDataRefreshTime: toTime(raw.avSignatureDataRefreshTime, "avSignatureDataRefreshTime", warn),
    avModeDataRefreshTime: toTime(raw.avModeDataRefreshTime, "avModeDataRefreshTime", warn),
    cloudProtectionState: toText(raw.cloudProtectionState, "cloudProtectionState", warn),
    rbacGroupId: toGroupId(raw.rbacGroupId, "rbacGroupId", warn),
    rbacGroupName: toText(raw.rbacGroupName, "rbacGroupName", warn),
  };
}

export function notAnObject(ctx: NormalizeContext, what: string): AvHealthError {
  return new AvHealthError(
    ErrorCodes.RECORD_INVALID,
    `${formatLocation(ctx.location)}: ${what} is not a JSON object; it was not included. Check the source data.`,
    { details: { source: ctx.location.source, line: ctx.location.line, reason: "not-an-object" } },
  );
}
