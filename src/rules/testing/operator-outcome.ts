/** Table-test helpers: one operator on one field of an otherwise compliant device, at a fixed now. */
import { FIELD_KIND, type DeviceField } from "../../model/device";
import { compileFieldOperator } from "../operators/field";
import { OPERATORS } from "../operators/registry";
import type { FieldSpec, FieldValue, OperatorName } from "../operators/types";
import { ValueReaders } from "../operators/values";
import type { Outcome } from "../types";
import { isoAt, makeDevice, TEST_NOW } from "./make-device";

function specOf(field: DeviceField): FieldSpec {
  return { field, kind: FIELD_KIND[field], foldCase: field === "computerDnsName", readers: new ValueReaders() };
}

function build(op: OperatorName, field: DeviceField, expected: unknown) {
  const result = compileFieldOperator(OPERATORS[op], expected, specOf(field));
  if (!result.ok) throw new Error(`${op} ${JSON.stringify(expected)} on ${field} did not compile: ${result.message}`);
  return result.condition;
}

export function operatorOutcome(op: OperatorName, field: DeviceField, expected: unknown, actual: FieldValue, now: Date = TEST_NOW): Outcome {
  return build(op, field, expected).test(makeDevice({ [field]: actual }, { now }), { nowMs: now.getTime() });
}

export function operatorReason(op: OperatorName, field: DeviceField, expected: unknown, actual: FieldValue, now: Date = TEST_NOW): string {
  return build(op, field, expected).explain(makeDevice({ [field]: actual }, { now }), { nowMs: now.getTime() });
}

/** The load-time message for an operator value, or null when it is accepted. */
export function operatorProblem(op: OperatorName, field: DeviceField, expected: unknown): string | null {
  const result = compileFieldOperator(OPERATORS[op], expected, specOf(field));
  return result.ok ? null : result.message;
}

const UNIT: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `ago("3d")`: the ISO time that long before TEST_NOW (or `now`). */
export function ago(duration: string, now: Date = TEST_NOW): string {
  const match = /^(\d+)([mhdw])$/.exec(duration);
  if (match === null) throw new Error(`bad duration ${duration}`);
  return isoAt(now.getTime() - Number(match[1]) * (UNIT[match[2] as string] as number));
}
