/** The operator contract: each operator file checks its YAML value once and returns a plain test closure. */
import type { DeviceField, FieldKind, NormalizedDevice } from "../../model/device";
import type { EvalContext } from "../types";
import type { ValueReaders } from "./values";

export type OperatorName =
  | "eq"
  | "ne"
  | "in"
  | "notIn"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "within"
  | "olderThan"
  | "glob"
  | "regex"
  | "exists";

export type FieldValue = NormalizedDevice[DeviceField];

export interface FieldSpec {
  readonly field: DeviceField;
  readonly kind: FieldKind;
  /** computerDnsName compares case-insensitively under eq/ne/in/notIn/glob. */
  readonly foldCase: boolean;
  readonly readers: ValueReaders;
}

export interface FieldTest {
  /** Whether the operator holds for this value; never called with null unless the operator is nullAware. */
  holds(value: FieldValue, ctx: EvalContext): boolean;
  /** Why it does not hold (the value is not null here either, unless nullAware). */
  explain(value: FieldValue, ctx: EvalContext): string;
  /** e.g. `gte "4.18.2206.108"`. */
  readonly text: string;
}

export type Built = { ok: true; test: FieldTest } | { ok: false; message: string };

export interface OperatorDef {
  readonly name: OperatorName;
  /** The field kinds this operator is allowed on (rules-v1.md, the operator-by-kind table). */
  readonly kinds: readonly FieldKind[];
  /** exists and olderThan decide null themselves; for every other operator null makes it false. */
  readonly nullAware: boolean;
  build(raw: unknown, spec: FieldSpec): Built;
}

export function built(test: FieldTest): Built {
  return { ok: true, test };
}

export function invalid(message: string): Built {
  return { ok: false, message };
}
