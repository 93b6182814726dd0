/**
 * How each field kind compares (rules-v1.md, the operator-by-kind table): which YAML values a condition may
 * hold, and the key or order a device value is compared by. Operators stay kind-agnostic on top of these.
 */
import { AV_MODE_BY_CODE, AV_MODES } from "../../model/device";
import type { FieldSpec, FieldValue } from "./types";
import { compareVersionText } from "./fast-parse";
import { parseTimeValue, TIME_HINT, type Version } from "./values";

/** A comparable key: equal keys mean equal values (versions are keyed by their canonical form). */
export type EqKey = string | number | boolean;

export type Checked<T> = { ok: true; value: T; shown: string } | { ok: false; message: string };

export interface EqualityDomain {
  /** Checks one YAML value of a condition and turns it into a key. */
  parse(raw: unknown): Checked<EqKey>;
  /** The key of a non-null device value, or null when it cannot compare (a non-dotted version). */
  key(value: FieldValue): EqKey | null;
}

function fail<T>(message: string): Checked<T> {
  return { ok: false, message };
}

function quoteHint(raw: unknown): string {
  return `write it as a quoted string: "${String(raw)}"`;
}

export function equalityDomain(spec: FieldSpec): EqualityDomain {
  switch (spec.kind) {
    case "string": {
      const fold = spec.foldCase;
      return {
        parse: (raw) =>
          typeof raw === "string"
            ? { ok: true, value: fold ? raw.toLowerCase() : raw, shown: raw }
            : fail(`${spec.field} is a string field; ${quoteHint(raw)}`),
        key: (value) => (typeof value === "string" ? (fold ? value.toLowerCase() : value) : null),
      };
    }
    case "enum":
      return { parse: (raw) => parseAvMode(raw), key: (value) => (typeof value === "string" ? value : null) };
    case "tristate":
      return {
        parse: (raw) =>
          typeof raw === "boolean"
            ? { ok: true, value: raw, shown: String(raw) }
            : fail(`${spec.field} is tri-state; write true or false without quotes (null is matched with exists: false)`),
        key: (value) => (typeof value === "boolean" ? value : null),
      };
    case "version":
      return {
        parse: (raw) => {
          const version = parseVersionValue(raw, spec);
          return version.ok ? { ok: true, value: version.value.key, shown: version.shown } : version;
        },
        key: (value) => (typeof value === "string" ? (spec.readers.version(value)?.key ?? null) : null),
      };
    case "number":
      return {
        parse: (raw) =>
          typeof raw === "number" && Number.isInteger(raw)
            ? { ok: true, value: raw, shown: String(raw) }
            : fail(`${spec.field} takes integer values, got ${JSON.stringify(raw)}${typeof raw === "string" ? " (remove the quotes)" : ""}`),
        key: (value) => (typeof value === "number" ? value : null),
      };
    case "time":
      // The kind table allows no equality on time; the registry rejects eq/ne/in/notIn before this is reached.
      return { parse: () => fail(`${spec.field} is a time field; compare it with gt, gte, lt, lte, within or olderThan`), key: () => null };
  }
}

function parseAvMode(raw: unknown): Checked<EqKey> {
  if (typeof raw === "string" && (AV_MODES as readonly string[]).includes(raw)) return { ok: true, value: raw, shown: raw };
  const code = typeof raw === "number" ? String(raw) : raw;
  if (typeof code === "string" && (code in AV_MODE_BY_CODE || code === "")) {
    const name = AV_MODE_BY_CODE[code] ?? "other";
    return fail(`"${code}" is a raw avMode code; write the normalized name "${name}"`);
  }
  return fail(`unknown avMode ${JSON.stringify(raw)}; use one of ${AV_MODES.join(", ")}`);
}

export function parseVersionValue(raw: unknown, spec: FieldSpec): Checked<Version> {
  if (typeof raw === "number") {
    return fail(`version values must be quoted strings: write "${String(raw)}" with quotes (YAML reads ${String(raw)} as a number, so 4.10 would become 4.1)`);
  }
  if (typeof raw !== "string") return fail(`${spec.field} takes a quoted dotted version such as "4.18.2206.108"`);
  const version = spec.readers.version(raw);
  if (version === null) return fail(`"${raw}" is not a dotted-numeric version such as "4.18.2206.108"`);
  return { ok: true, value: version, shown: raw };
}

/** Ordered comparison (gt/gte/lt/lte) on version, time and number fields. */
export interface OrderedDomain {
  parse(raw: unknown): Checked<OrderedValue>;
  /** Sign of device value minus the expected value, or null when the device value cannot compare. */
  compare(value: FieldValue, expected: OrderedValue): number | null;
}

export type OrderedValue = Version | number;

export function orderedDomain(spec: FieldSpec): OrderedDomain {
  if (spec.kind === "version") {
    return {
      parse: (raw) => parseVersionValue(raw, spec),
      // Straight from the device's text: no parse, no cache lookup (see fast-parse.ts).
      compare: (value, expected) => (typeof value === "string" ? compareVersionText(value, (expected as Version).parts) : null),
    };
  }
  if (spec.kind === "time") {
    const read = spec.readers.timeOf(spec.field);
    return {
      parse: (raw) => {
        const time = parseTimeValue(raw);
        return time === null ? fail(`${JSON.stringify(raw)} is not a valid time; ${TIME_HINT}`) : { ok: true, value: time.startMs, shown: String(raw) };
      },
      compare: (value, expected) => {
        const ms = typeof value === "string" ? read(value) : Number.NaN;
        return Number.isNaN(ms) ? null : Math.sign(ms - (expected as number));
      },
    };
  }
  return {
    parse: (raw) =>
      typeof raw === "number" && Number.isInteger(raw)
        ? { ok: true, value: raw, shown: String(raw) }
        : fail(`${spec.field} takes integer values, got ${JSON.stringify(raw)}`),
    compare: (value, expected) => (typeof value === "number" ? Math.sign(value - (expected as number)) : null),
  };
}
