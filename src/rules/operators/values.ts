/**
 * Value grammars shared by operators, settings and exceptions: durations, ISO dates and timestamps, dotted
 * versions. Device values are read through per-rule-set readers that memoize, because a 1M-device evaluation
 * would otherwise parse the same version strings millions of times.
 */
import { parseIsoUtc } from "./fast-parse";

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^([0-9]{1,6})([mhdw])$/;

export const DURATION_HINT = "write an integer followed by m, h, d or w (30m, 12h, 7d, 2w)";

/** Milliseconds of a duration like `7d`, or null when it is not one. */
export function parseDuration(raw: unknown): number | null {
  if (typeof raw !== "string") return null;
  const match = DURATION.exec(raw);
  if (match === null) return null;
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A timestamp must carry its zone: a zoneless one would mean a different instant on every runner. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const TIME_HINT = "write a date (2026-12-31) or a timestamp with a zone (2026-12-31T18:00:00Z)";

export interface ParsedTime {
  /** Start of the instant: midnight UTC for a bare date. */
  startMs: number;
  /** True for a bare YYYY-MM-DD. */
  isDate: boolean;
}

export function parseTimeValue(raw: unknown): ParsedTime | null {
  if (typeof raw !== "string") return null;
  const date = DATE.exec(raw);
  if (date !== null) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(year, month - 1, day);
    const check = new Date(ms);
    // Date.UTC rolls 2026-02-30 over to March; a calendar date that does not exist is a typo.
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
    return { startMs: ms, isDate: true };
  }
  if (!TIMESTAMP.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : { startMs: ms, isDate: false };
}

/** A dotted-numeric version: parts without leading zeros and without trailing zero parts ("4.18.0.0" → 4.18). */
export interface Version {
  readonly parts: readonly string[];
  /** parts joined by ".", so equal versions have equal keys ("4.18" and "4.18.0.0" both give "4.18"). */
  readonly key: string;
}

const DOTTED = /^\d+(\.\d+)*$/;

export function parseVersion(raw: string): Version | null {
  if (!DOTTED.test(raw)) return null;
  const parts = raw.split(".").map((part) => part.replace(/^0+(?=\d)/, ""));
  while (parts.length > 1 && parts[parts.length - 1] === "0") parts.pop();
  return { parts, key: parts.join(".") };
}

/** Part by part as integers of any size (digit strings: longer is larger, else lexical), missing parts 0. */
export function compareVersions(a: Version, b: Version): number {
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i++) {
    const x = a.parts[i] ?? "0";
    const y = b.parts[i] ?? "0";
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const VERSION_CACHE_LIMIT = 100_000;

/** Memoizing readers of device values; one instance per compiled rule set. */
export class ValueReaders {
  private readonly versions = new Map<string, Version | null>();
  private readonly lastTime = new Map<string, { text: string | null; ms: number }>();

  version(raw: string): Version | null {
    let parsed = this.versions.get(raw);
    if (parsed === undefined) {
      parsed = parseVersion(raw);
      if (this.versions.size >= VERSION_CACHE_LIMIT) this.versions.clear();
      this.versions.set(raw, parsed);
    }
    return parsed;
  }

  /**
   * A time reader for one field. It remembers the last string it parsed, so the rules that read the same
   * field of the same device parse it once. NaN means unparseable, which every time operator treats as null.
   */
  timeOf(field: string): (raw: string) => number {
    let memo = this.lastTime.get(field);
    if (memo === undefined) {
      memo = { text: null, ms: Number.NaN };
      this.lastTime.set(field, memo);
    }
    const slot = memo;
    return (raw: string): number => {
      if (raw !== slot.text) {
        slot.text = raw;
        slot.ms = parseIsoUtc(raw);
      }
      return slot.ms;
    };
  }
}

/** A device or rule value as it reads in a reason: strings bare, null as null. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return "null";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A rule value as it reads in condition text: strings quoted when they could be misread. */
export function showLiteral(value: unknown): string {
  if (typeof value === "string" && /^[A-Za-z0-9_.:*?@-]+$/.test(value) && !/^(true|false|null)$/.test(value)) return value;
  return JSON.stringify(value);
}

export function formatDurationMs(ms: number): string {
  for (const unit of ["w", "d", "h", "m"] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
