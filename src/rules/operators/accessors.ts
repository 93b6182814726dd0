/**
 * One reader function per device field. A shared `device[field]` with a variable key would see all 29 keys at
 * one property-load site and make it megamorphic; a function per field keeps each load monomorphic, which is
 * most of the per-device cost of a simple condition. The Record type makes the table complete.
 */
import type { DeviceField, NormalizedDevice } from "../../model/device";
import type { FieldValue } from "./types";

export type Accessor = (device: NormalizedDevice) => FieldValue;

export const ACCESSORS: Readonly<Record<DeviceField, Accessor>> = {
  machineId: (d) => d.machineId,
  computerDnsName: (d) => d.computerDnsName,
  osKind: (d) => d.osKind,
  osPlatform: (d) => d.osPlatform,
  osVersion: (d) => d.osVersion,
  avMode: (d) => d.avMode,
  avSignatureVersion: (d) => d.avSignatureVersion,
  avEngineVersion: (d) => d.avEngineVersion,
  avPlatformVersion: (d) => d.avPlatformVersion,
  avIsSignatureUpToDate: (d) => d.avIsSignatureUpToDate,
  avIsEngineUpToDate: (d) => d.avIsEngineUpToDate,
  avIsPlatformUpToDate: (d) => d.avIsPlatformUpToDate,
  quickScanResult: (d) => d.quickScanResult,
  quickScanError: (d) => d.quickScanError,
  quickScanTime: (d) => d.quickScanTime,
  fullScanResult: (d) => d.fullScanResult,
  fullScanError: (d) => d.fullScanError,
  fullScanTime: (d) => d.fullScanTime,
  lastSeenTime: (d) => d.lastSeenTime,
  dataRefreshTimestamp: (d) => d.dataRefreshTimestamp,
  avSignatureUpdateTime: (d) => d.avSignatureUpdateTime,
  avEngineUpdateTime: (d) => d.avEngineUpdateTime,
  avPlatformUpdateTime: (d) => d.avPlatformUpdateTime,
  avSignaturePublishTime: (d) => d.avSignaturePublishTime,
  avSignatureDataRefreshTime: (d) => d.avSignatureDataRefreshTime,
  avModeDataRefreshTime: (d) => d.avModeDataRefreshTime,
  cloudProtectionState: (d) => d.cloudProtectionState,
  rbacGroupId: (d) => d.rbacGroupId,
  rbacGroupName: (d) => d.rbacGroupName,
};
