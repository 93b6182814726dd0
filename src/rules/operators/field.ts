/**
 * One operator on one field, as a three-valued condition. The null rules of rules-v1.md live here, once:
 * a null tri-state compared by anything but `exists` is UNKNOWN; any other null makes the comparison false,
 * except for the null-aware operators (`exists`, `olderThan`).
 */
import type { DeviceField } from "../../model/device";
import { FAIL, PASS, UNKNOWN, type CompiledCondition } from "../types";
import { ACCESSORS } from "./accessors";
import type { FieldSpec, OperatorDef } from "./types";

export type BuiltCondition = { ok: true; condition: CompiledCondition } | { ok: false; message: string };

export function compileFieldOperator(def: OperatorDef, raw: unknown, spec: FieldSpec): BuiltCondition {
  const result = def.build(raw, spec);
  if (!result.ok) return result;
  const { holds, explain, text } = result.test;
  const field: DeviceField = spec.field;
  const read = ACCESSORS[field];
  const unknownOnNull = spec.kind === "tristate" && def.name !== "exists";
  const decidesNull = def.nullAware;
  const condition: CompiledCondition = {
    test(device, ctx) {
      const value = read(device);
      if (value === null && !decidesNull) return unknownOnNull ? UNKNOWN : FAIL;
      return holds(value, ctx) ? PASS : FAIL;
    },
    explain(device, ctx) {
      const value = read(device);
      if (value === null && !decidesNull) return `${field} is null`;
      return explain(value, ctx);
    },
    text: `${field} ${text}`,
  };
  return { ok: true, condition };
}
