/**
 * The normalized device record that every export method produces and every rule sees (docs/rules.md).
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

/** The 17 fields that /api/deviceavinfo accepts in $filter (the Defender for Endpoint API documentation). */
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

const FIELD_NAMES: readonly DeviceField[] = DEVICE_FIELDS.map(([field]) => field);
/** `{"machineId":`, `,"computerDnsName":`, ...: the constant text before each value. */
const KEY_PREFIXES: readonly string[] = FIELD_NAMES.map((field, i) => `${i === 0 ? "{" : ","}${JSON.stringify(field)}:`);
/** Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * One snapshot device line: the bytes of JSON.stringify of the device with its keys in DEVICE_FIELDS order, so
 * equal devices serialize to equal bytes. Built by concatenation (most strings need no escaping), which is about
 * a third cheaper than JSON.stringify on a million devices (BENCHMARKS.md).
 */
export function serializeDevice(device: NormalizedDevice): string {
  let line = "";
  for (let i = 0; i < FIELD_NAMES.length; i++) line += (KEY_PREFIXES[i] as string) + jsonValue(device[FIELD_NAMES[i] as DeviceField]);
  return `${line}}`;
}

function jsonValue(value: string | number | boolean | null): string {
  if (typeof value === "string") return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (value === null) return "null";
  return typeof value === "number" ? JSON.stringify(value) : value ? "true" : "false";
}
