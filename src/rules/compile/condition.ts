/**
 * Checks and compiles one condition or selector (rules-v1.md "Conditions") in a single walk: each problem is
 * recorded with its path, and a condition without problems becomes a tree of plain closures. Evaluation
 * therefore never meets an unknown field or operator.
 */
import { DEVICE_FIELDS, FIELD_KIND, isDeviceField, type DeviceField } from "../../model/device";
import { compileFieldOperator } from "../operators/field";
import { isOperatorName, OPERATOR_NAMES, OPERATORS, operatorsForKind } from "../operators/registry";
import type { FieldSpec } from "../operators/types";
import type { ValueReaders } from "../operators/values";
import type { Path, ProblemCollector } from "../load/problems";
import type { CompiledCondition } from "../types";
import { allOf, anyOf, notOf } from "./combinators";
import { didYouMean } from "./suggest";

export const MAX_CONDITION_DEPTH = 32;
const COMBINATORS = ["all", "any", "not"];
const FIELD_NAMES = DEVICE_FIELDS.map(([name]) => name);

export interface ConditionEnv {
  problems: ProblemCollector;
  readers: ValueReaders;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns null when the condition has problems (all of them recorded in env.problems). */
export function compileCondition(raw: unknown, path: Path, env: ConditionEnv, depth = 1): CompiledCondition | null {
  if (depth > MAX_CONDITION_DEPTH) {
    env.problems.add(path, `conditions nested deeper than ${MAX_CONDITION_DEPTH} levels; flatten them`);
    return null;
  }
  if (!isPlainMap(raw)) {
    env.problems.add(path, "a condition must be a map of field names and combinators (all, any, not)");
    return null;
  }
  const keys = Object.keys(raw);
  if (keys.length === 0) {
    env.problems.add(path, "empty condition; name at least one field or combinator");
    return null;
  }
  const parts: (CompiledCondition | null)[] = keys.map((key) => compileEntry(key, raw[key], [...path, key], env, depth));
  if (parts.some((part) => part === null)) return null;
  return allOf(parts as CompiledCondition[]);
}

function compileEntry(key: string, value: unknown, path: Path, env: ConditionEnv, depth: number): CompiledCondition | null {
  if (key === "all" || key === "any") return compileList(key, value, path, env, depth);
  if (key === "not") {
    const inner = compileCondition(value, path, env, depth + 1);
    return inner === null ? null : notOf(inner);
  }
  if (isDeviceField(key)) return compileField(key, value, path, env);
  // Like an unknown key, an unknown field lists what is allowed here (the device fields, then the combinators).
  const allowed = [...FIELD_NAMES, ...COMBINATORS];
  env.problems.add(path, `unknown field "${key}"${didYouMean(key, allowed)}; allowed here: ${allowed.join(", ")}`, "key");
  return null;
}

function compileList(key: "all" | "any", value: unknown, path: Path, env: ConditionEnv, depth: number): CompiledCondition | null {
  if (!Array.isArray(value) || value.length === 0) {
    env.problems.add(path, `${key} takes a non-empty list of conditions, e.g. ${key}: [{ avMode: active }, ...]`);
    return null;
  }
  const parts = value.map((item, index) => compileCondition(item, [...path, index], env, depth + 1));
  if (parts.some((part) => part === null)) return null;
  return key === "all" ? allOf(parts as CompiledCondition[]) : anyOf(parts as CompiledCondition[]);
}

function compileField(field: DeviceField, value: unknown, path: Path, env: ConditionEnv): CompiledCondition | null {
  const spec: FieldSpec = { field, kind: FIELD_KIND[field], foldCase: field === "computerDnsName", readers: env.readers };
  if (value === null || value === undefined) {
    env.problems.add(path, `${field} has no value; to match a missing value write ${field}: { exists: false }`);
    return null;
  }
  if (Array.isArray(value)) {
    env.problems.add(path, `a list is not a value; to match any of several write ${field}: { in: [...] }`);
    return null;
  }
  if (!isPlainMap(value)) return compileOperator(spec, "eq", value, path, path, env);
  const operators = Object.keys(value);
  if (operators.length === 0) {
    env.problems.add(path, `${field} has an empty operator map; write e.g. ${field}: { exists: true }`);
    return null;
  }
  const parts = operators.map((op) => compileOperator(spec, op, value[op], path, [...path, op], env));
  if (parts.some((part) => part === null)) return null;
  return allOf(parts as CompiledCondition[], `${field} {${parts.map((p) => p?.text.slice(field.length + 1)).join(", ")}}`);
}

function compileOperator(spec: FieldSpec, op: string, raw: unknown, fieldPath: Path, valuePath: Path, env: ConditionEnv): CompiledCondition | null {
  if (!isOperatorName(op)) {
    // As in the spec's example, the path names the field and the position points at the operator key.
    env.problems.addFor(fieldPath, valuePath, "key", `unknown operator "${op}"${didYouMean(op, OPERATOR_NAMES)}`);
    return null;
  }
  const def = OPERATORS[op];
  if (!def.kinds.includes(spec.kind)) {
    const allowed = operatorsForKind(spec.kind).join(", ");
    env.problems.addFor(fieldPath, valuePath, "key", `operator "${op}" is not allowed on ${spec.kind} field ${spec.field} (allowed: ${allowed})`);
    return null;
  }
  const result = compileFieldOperator(def, raw, spec);
  if (!result.ok) {
    env.problems.add(valuePath, result.message);
    return null;
  }
  return result.condition;
}
