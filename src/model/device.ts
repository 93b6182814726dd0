/**
 * The normalized device record that every export method produces and every rule sees (shared/spec/rules-v1.md).
 * DEVICE_FIELDS is the one source for the field list, each field's comparison kind and the fixed key order of
 * snapshot lines.
 */
export const AV_MODES = ["active", "passive", "disabled", "other", "edrBlocked", "passiveAudit"] as const;
export type AvMode = (typeof AV_MODES)[number];

/** Raw API codes of avMode; "3", "" and anything unrecognised are "other". */
export const AV_MODE_BY_CODE: Readonly<Record<string, AvMode>> = {
  "0": "active",
  "1": "passive",
  "2": "disabled",
  "3": "other",
  "4": "edrBlocked",
  "5": "passiveAudit",
};

export type FieldKind = "string" | "enum" | "tristate" | "version" | "time" | "number";

export interface NormalizedDevice {
  machineId: string;
  computerDnsName: string | null;
  osKind: string | null;
  osPlatform: string | null;
  osVersion: string | null;
  avMode: AvMode;
  avSignatureVersion: string | null;
  avEngineVersion: string | null;
  avPlatformVersion: string | null;
  avIsSignatureUpToDate: boolean | null;
  avIsEngineUpToDate: boolean | null;
  avIsPlatformUpToDate: boolean | null;
  quickScanResult: string | null;
  quickScanError: string | null;
  quickScanTime: string | null;
  fullScanResult: string | null;
  fullScanError: string | null;
  fullScanTime: string | null;
  lastSeenTime: string | null;
  dataRefreshTimestamp: string | null;
  avSignatureUpdateTime: string | null;
  avEngineUpdateTime: string | null;
  avPlatformUpdateTime: string | null;
  avSignaturePublishTime: string | null;
  avSignatureDataRefreshTime: string | null;
  avModeDataRefreshTime: string | null;
  cloudProtectionState: string | null;
  rbacGroupId: number | null;
  rbacGroupName: string | null;
}

export type DeviceField = keyof NormalizedDevice;

/** Field → kind, in the fixed key order of snapshot device lines. */
export const DEVICE_FIELDS: ReadonlyArray<readonly [DeviceField, FieldKind]> = [
  ["machineId", "string"],
  ["computerDnsName", "string"],
  ["osKind", "string"],
  ["osPlatform", "string"],
  ["osVersion", "string"],
  ["avMode", "enum"],
  ["avSignatureVersion", "version"],
  ["avEngineVersion", "version"],
  ["avPlatformVersion", "version"],
  ["avIsSignatureUpToDate", "tristate"],
  ["avIsEngineUpToDate", "tristate"],
  ["avIsPlatformUpToDate", "tristate"],
  ["quickScanResult", "string"],
  ["quickScanError", "string"],
  ["quickScanTime", "time"],
  ["fullScanResult", "string"],
  ["fullScanError", "string"],
  ["fullScanTime", "time"],
  ["lastSeenTime", "time"],
  ["dataRefreshTimestamp", "time"],
  ["avSignatureUpdateTime", "time"],
  ["avEngineUpdateTime", "time"],
  ["avPlatformUpdateTime", "time"],
  ["avSignaturePublishTime", "time"],
  ["avSignatureDataRefreshTime", "time"],
  ["avModeDataRefreshTime", "time"],
  ["cloudProtectionState", "string"],
  ["rbacGroupId", "number"],
  ["rbacGroupName", "string"],
];

export const FIELD_KIND: Readonly<Record<DeviceField, FieldKind>> = Object.fromEntries(DEVICE_FIELDS) as Record<
  DeviceField,
  FieldKind
>;

export function isDeviceField(name: string): name is DeviceField {
  return Object.prototype.hasOwnProperty.call(FIELD_KIND, name);
}

/** The 17 fields that /api/deviceavinfo accepts in $filter (shared/reference/defender-api.md §1.2). */
export const FILTERABLE_FIELDS = [
  "machineId",
  "computerDnsName",
  "osKind",
  "osPlatform",
  "osVersion",
  "avMode",
  "avSignatureVersion",
  "avEngineVersion",
  "avPlatformVersion",
  "quickScanResult",
  "quickScanError",
  "fullScanResult",
  "fullScanError",
  "avIsSignatureUpToDate",
  "avIsEngineUpToDate",
  "avIsPlatformUpToDate",
  "rbacGroupId",
] as const;

/** One snapshot device line: keys in DEVICE_FIELDS order, so equal devices serialize to equal bytes. */
export function serializeDevice(device: NormalizedDevice): string {
  const ordered: Record<string, unknown> = {};
  for (const [field] of DEVICE_FIELDS) ordered[field] = device[field];
  return JSON.stringify(ordered);
}
