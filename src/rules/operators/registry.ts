/** Every operator by name, and which ones a field kind takes (the single place the spec's table lives). */
import type { FieldKind } from "../../model/device";
import { eq } from "./eq";
import { exists } from "./exists";
import { glob } from "./glob";
import { gt } from "./gt";
import { gte } from "./gte";
import { inOperator } from "./in";
import { lt } from "./lt";
import { lte } from "./lte";
import { ne } from "./ne";
import { notIn } from "./not-in";
import { olderThan } from "./older-than";
import { regex } from "./regex";
import type { OperatorDef, OperatorName } from "./types";
import { within } from "./within";

export const OPERATORS: Readonly<Record<OperatorName, OperatorDef>> = {
  eq,
  ne,
  in: inOperator,
  notIn,
  gt,
  gte,
  lt,
  lte,
  within,
  olderThan,
  glob,
  regex,
  exists,
};

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

export function isOperatorName(name: string): name is OperatorName {
  return Object.prototype.hasOwnProperty.call(OPERATORS, name);
}

export function operatorsForKind(kind: FieldKind): OperatorName[] {
  return OPERATOR_NAMES.filter((name) => OPERATORS[name].kinds.includes(kind));
}
