/**
 * Rule case files (`avhealth test --rules FILE --cases DIR`), format version 1. Each file holds a list of cases;
 * a case is a fleet (inline devices over a compliant default, or a JSON-API file), a `now`, and what the rules
 * should say about that fleet. The ajv schema is the source of the types, as for rule files.
 */
import type { JSONSchemaType } from "ajv";
import type { RuleCounts, RuleStatus } from "../../report-model/types";

export const RULE_STATUSES: readonly RuleStatus[] = ["pass", "fail", "indeterminate", "disabled"];

/** Device fields (checked by kind in devices.ts) plus `repeat`. */
export type DeviceEntry = Record<string, unknown>;

export interface RuleExpectation {
  status?: RuleStatus;
  counts?: Partial<RuleCounts>;
  percent?: number;
  /** computerDnsName (or machineId for unnamed devices) of every failing device, in any order. */
  failingDevices?: string[];
}

export interface ExceptionExpectation {
  state?: "active" | "expired" | "unused";
  devicesMatched?: number;
}

export interface CaseInput {
  name: string;
  /** ISO timestamp with zone, or a date (midnight UTC). */
  now: string;
  complete?: boolean;
  devices?: DeviceEntry[];
  /** A JSON-API document ({"value": [...]}) or array, relative to the case file. */
  fleet?: string;
  gate?: "pass" | "fail";
  /** By rule id: a status, or a map with status, counts, percent and failingDevices. */
  expect?: Record<string, RuleStatus | RuleExpectation>;
  /** By position in the rule file's exceptions list. */
  exceptions?: ExceptionExpectation[];
}

export interface CaseFileV1 {
  cases: CaseInput[];
}

/** Optional keys may hold null as well as be absent (ajv's `nullable`); both mean "not given". */
export function given<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

const count = { type: "integer", nullable: true, minimum: 0 } as const;

const ruleExpectation: JSONSchemaType<RuleExpectation> = {
  type: "object",
  additionalProperties: false,
  required: [],
  properties: {
    status: { type: "string", nullable: true, enum: [...RULE_STATUSES] },
    counts: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: { inScope: count, pass: count, fail: count, unknown: count, waived: count, counted: count, passing: count, failing: count },
    },
    percent: { type: "number", nullable: true, minimum: 0, maximum: 100 },
    failingDevices: { type: "array", nullable: true, items: { type: "string", minLength: 1 } },
  },
};

/**
 * JSONSchemaType cannot type a status-or-map union; this fragment is cast and the loader tests cover both
 * shapes. `description` is the message shown when a value is neither.
 */
const expectation = {
  description: `expected a status (${RULE_STATUSES.join(", ")}) or a map with status, counts, percent, failingDevices`,
  anyOf: [{ type: "string", enum: [...RULE_STATUSES] }, ruleExpectation],
} as never;

export const caseFileSchema: JSONSchemaType<CaseFileV1> = {
  type: "object",
  additionalProperties: false,
  required: ["cases"],
  properties: {
    cases: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "now"],
        properties: {
          name: { type: "string", minLength: 1 },
          now: { type: "string", minLength: 1 },
          complete: { type: "boolean", nullable: true },
          devices: { type: "array", nullable: true, items: { type: "object", required: [] } },
          fleet: { type: "string", nullable: true, minLength: 1 },
          gate: { type: "string", nullable: true, enum: ["pass", "fail"] },
          expect: { type: "object", nullable: true, required: [], additionalProperties: expectation },
          exceptions: {
            type: "array",
            nullable: true,
            items: {
              type: "object",
              additionalProperties: false,
              required: [],
              properties: {
                state: { type: "string", nullable: true, enum: ["active", "expired", "unused"] },
                devicesMatched: count,
              },
            },
          },
        },
      },
    },
  },
};
