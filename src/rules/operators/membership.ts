/** The value list shared by `in` and `notIn`: each entry checked like an `eq` value, kept as a set of keys. */
import { equalityDomain, type EqKey, type EqualityDomain } from "./domains";
import type { FieldSpec } from "./types";

export type Membership = { ok: true; domain: EqualityDomain; keys: ReadonlySet<EqKey>; shown: string } | { ok: false; message: string };

export function parseMembership(raw: unknown, spec: FieldSpec, operator: string): Membership {
  if (!Array.isArray(raw)) return { ok: false, message: `${operator} takes a list, e.g. ${operator}: [a, b]` };
  if (raw.length === 0) return { ok: false, message: `${operator} needs at least one value` };
  const domain = equalityDomain(spec);
  const keys = new Set<EqKey>();
  const shown: string[] = [];
  for (const [index, item] of raw.entries()) {
    const parsed = domain.parse(item);
    if (!parsed.ok) return { ok: false, message: `item ${index}: ${parsed.message}` };
    keys.add(parsed.value);
    shown.push(parsed.shown);
  }
  return { ok: true, domain, keys, shown: `[${shown.join(", ")}]` };
}
