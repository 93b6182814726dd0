/**
 * Value rules shared by both record shapes (docs/rules.md, "Device fields").
 * Each function takes one raw value and returns the normalized one; a value that cannot be read becomes null
 * and is reported through `warn`, never guessed.
 */
import { AV_MODE_BY_CODE, AV_MODES, type AvMode } from "../model/device";
import { fastCanonicalTime } from "./time";

/** Reports a value that could not be read (it became null); `field` is the normalized field name. */
export type Warn = (field: string, message: string) => void;

/** Strings stay strings ("" → null); numbers and booleans become their text; anything else is unreadable. */
export function toText(value: unknown, field: string, warn: Warn): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  warn(field, `expected a string, got ${describe(value)}`);
  return null;
}

// A date-time without an offset is UTC in Defender data; JavaScript would read it as local time.
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const ISO_START = /^\d{4}-\d{2}-\d{2}/;
// .NET DateTime.MinValue: the API's "never happened".
const SENTINEL = "0001-01-01";

/** ISO-8601 UTC (`new Date(x).toISOString()`), null for "", null and the 0001-01-01 sentinel. */
export function toTime(value: unknown, field: string, warn: Warn): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "string") {
    warn(field, `expected an ISO-8601 time, got ${describe(value)}`);
    return null;
  }
  if (value.startsWith(SENTINEL)) return null;
  const fast = fastCanonicalTime(value);
  if (fast !== undefined) return fast;
  if (!ISO_START.test(value)) {
    warn(field, `unparseable time ${JSON.stringify(value.slice(0, 40))}`);
    return null;
  }
  const millis = Date.parse(NO_OFFSET.test(value) ? `${value}Z` : value);
  if (Number.isNaN(millis)) {
    warn(field, `unparseable time ${JSON.stringify(value.slice(0, 40))}`);
    return null;
  }
  const iso = new Date(millis).toISOString();
  return iso.startsWith(SENTINEL) ? null : iso;
}

/** true / false / null: booleans, "True"/"False" in any case; "Unknown", "" and null mean null. */
export function toTriState(value: unknown, field: string, warn: Warn): boolean | null {
  if (typeof value === "boolean") return value;
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    if (lower === "unknown") return null;
  }
  warn(field, `expected True, False or Unknown, got ${describe(value)}`);
  return null;
}

const MODE_BY_NAME: ReadonlyMap<string, AvMode> = new Map(AV_MODES.map((mode) => [mode.toLowerCase(), mode]));

/** Raw codes "0".."5" (string or number) to names; "", "3", null and anything unrecognised are "other". */
export function toAvMode(value: unknown): AvMode {
  if (typeof value === "number") return AV_MODE_BY_CODE[String(value)] ?? "other";
  if (typeof value !== "string") return "other";
  // Already-normalized names are accepted too, so a re-imported record keeps its mode.
  return AV_MODE_BY_CODE[value] ?? MODE_BY_NAME.get(value.toLowerCase()) ?? "other";
}

/** Scan result text; the 2022 spelling "Cancelled" becomes "Canceled". */
export function toScanResult(value: unknown, field: string, warn: Warn): string | null {
  const text = toText(value, field, warn);
  return text !== null && text.toLowerCase() === "cancelled" ? "Canceled" : text;
}

/** Int64 device-group id as a JS integer; numeric strings are accepted, fractions and text are not. */
export function toGroupId(value: unknown, field: string, warn: Warn): number | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
  warn(field, `expected an integer group id, got ${describe(value)}`);
  return null;
}

const LINUX_PLATFORMS = [
  "linux", "ubuntu", "redhat", "rhel", "debian", "centos", "suse", "sles", "opensuse", "fedora", "oracle",
  "amazon", "alma", "rocky",
];

/** windows / mac / linux from an OsPlatform value ("Windows11", "macOS", "RedHatEnterpriseLinux"...), else null. */
export function osKindFromPlatform(platform: string | null): string | null {
  if (platform === null) return null;
  const lower = platform.toLowerCase();
  if (lower.startsWith("windows")) return "windows";
  if (lower.startsWith("mac") || lower.startsWith("os x") || lower.startsWith("osx")) return "mac";
  if (lower.includes("linux") || LINUX_PLATFORMS.some((name) => lower.startsWith(name))) return "linux";
  return null;
}

/**
 * The record's own osKind when it has one (lower-cased, "macos" read as "mac"), else derived from the
 * platform, so that the JSON shape (which carries osKind) and the file shape (which does not) agree.
 */
export function toOsKind(explicit: string | null, platform: string | null): string | null {
  if (explicit === null) return osKindFromPlatform(platform);
  const lower = explicit.toLowerCase();
  return lower === "macos" ? "mac" : lower;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
