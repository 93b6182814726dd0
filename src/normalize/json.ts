/** The `/api/deviceavinfo` record shape (camelCase, string-typed enums and flags) to a NormalizedDevice. */
import type { NormalizedDevice } from "../model/device";
import { finishDevice, notAnObject } from "./device";
import { isRecord, KeyLookup } from "./keys";
import type { NormalizeContext } from "./types";

export function normalizeJsonRecord(raw: unknown, ctx: NormalizeContext): NormalizedDevice {
  if (!isRecord(raw)) throw notAnObject(ctx, "the record");
  const r = new KeyLookup(raw);
  const machineId = r.get("machineId");
  return finishDevice(
    {
      // `id` is the entity key and carries the same value; it stands in when machineId is missing or empty.
      machineId: machineId === null || machineId === undefined || machineId === "" ? r.get("id") : machineId,
      computerDnsName: r.get("computerDnsName"),
      osKind: r.get("osKind"),
      osPlatform: r.get("osPlatform"),
      osVersion: r.get("osVersion"),
      avMode: r.get("avMode"),
      avSignatureVersion: r.get("avSignatureVersion"),
      avEngineVersion: r.get("avEngineVersion"),
      avPlatformVersion: r.get("avPlatformVersion"),
      avIsSignatureUpToDate: r.get("avIsSignatureUpToDate"),
      avIsEngineUpToDate: r.get("avIsEngineUpToDate"),
      avIsPlatformUpToDate: r.get("avIsPlatformUpToDate"),
      quickScanResult: r.get("quickScanResult"),
      quickScanError: r.get("quickScanError"),
      quickScanTime: r.get("quickScanTime"),
      fullScanResult: r.get("fullScanResult"),
      fullScanError: r.get("fullScanError"),
      fullScanTime: r.get("fullScanTime"),
      lastSeenTime: r.get("lastSeenTime"),
      dataRefreshTimestamp: r.get("dataRefreshTimestamp"),
      avSignatureUpdateTime: r.get("avSignatureUpdateTime"),
      avEngineUpdateTime: r.get("avEngineUpdateTime"),
      avPlatformUpdateTime: r.get("avPlatformUpdateTime"),
      avSignaturePublishTime: r.get("avSignaturePublishTime"),
      avSignatureDataRefreshTime: r.get("avSignatureDataRefreshTime"),
      avModeDataRefreshTime: r.get("avModeDataRefreshTime"),
      cloudProtectionState: r.get("cloudProtectionState"),
      rbacGroupId: r.get("rbacGroupId"),
      rbacGroupName: r.get("rbacGroupName"),
    },
    ctx,
    "machineId (or id)",
  );
}
