/**
 * The rule file format v1 (docs/rules.md) as one ajv schema that the TypeScript types are checked
 * against (JSONSchemaType), so the two cannot drift. Conditions are typed as open maps here: their grammar
 * depends on each field's kind, and the condition compiler (compile/condition.ts) checks it with messages
 * that name the field, the operator and what to write instead, which a generic schema error could not.
 */
import type { JSONSchemaType } from "ajv";
import type { CloudName } from "../../config/types";
import type { Enforcement, Severity } from "../../report-model/types";

export type UnknownMode = "fail" | "pass" | "exclude";

/** A condition or selector before compilation: field names and combinators mapped to raw YAML values. */
export type ConditionInput = Record<string, unknown>;

/** A scope name (a key of `scopes`) or an inline selector. */
export type ScopeRef = string | ConditionInput;

export interface SettingsInput {
  staleAfter?: string;
  unknown?: UnknownMode;
  minDevices?: number;
  fleet?: FleetPinsInput;
  /** An earlier JSON report to compare with, relative to the rule file (baselines.md). */
  baseline?: string;
  /** The history file, relative to the rule file (baselines.md). */
  history?: string;
}

/** Trust pins for an org-wide gate (README.md, "Enforce across an organization"): where the pack's own snapshot may come from. */
export interface FleetPinsInput {
  tenantId: string;
  cloud?: CloudName;
  allowApiUrls?: string[];
  allowAuthorityHosts?: string[];
  /** PEM CA files, relative to the rule file, trusted beside Node's bundled roots for the pinned fetch. */
  caFiles?: string[];
  /** Export method of the pinned fetch (default auto). */
  method?: "auto" | "json" | "files";
  /** How long this process reuses a snapshot it fetched itself (default 5m). */
  cacheTtl?: string | number;
  signed?: SignedPinsInput;
}

/** settings.fleet.signed: read signed publications instead of fetching (signed snapshots). */
export interface SignedPinsInput {
  from: string;
  keys: string[];
  maxAge?: string;
}

export interface ThresholdInput {
  minPercent?: number;
  maxFailing?: number;
}

/** Gating on change since the baseline (baselines.md "Gating on regression"). */
export interface RegressionInput {
  maxPercentDrop?: number;
  maxNewlyFailing?: number;
  ratchet?: boolean;
}

export interface RuleInput {
  id: string;
  description: string;
  severity?: Severity;
  enforcement?: Enforcement;
  /** A scope name or an inline selector. */
  scope?: ScopeRef;
  require: ConditionInput;
  threshold?: ThresholdInput;
  regression?: RegressionInput;
}

export interface ExceptionInput {
  rule: string;
  devices?: string[];
  /** A scope name or an inline selector. */
  scope?: ScopeRef;
  reason: string;
  expires: string;
  ticket?: string;
}

export interface RuleFileV1 {
  version: 1;
  settings?: SettingsInput;
  scopes?: Record<string, ConditionInput>;
  rules: RuleInput[];
  exceptions?: ExceptionInput[];
}

export const RULE_ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
/** An integer and a unit; six digits are plenty (999999w) and keep milliseconds far from float trouble. */
export const DURATION_PATTERN = "^[0-9]{1,6}[mhdw]$";

const condition: JSONSchemaType<ConditionInput> = { type: "object", required: [] };


/**
 * JSONSchemaType cannot type an optional string-or-map property, so this one fragment is cast; the loader tests
 * cover both shapes and the wrong ones. Which string names a defined scope is checked by the compiler.
 */
const scopeRef = { type: ["string", "object"], nullable: true } as never;

export const ruleFileSchema: JSONSchemaType<RuleFileV1> = {
  type: "object",
  additionalProperties: false,
  required: ["version", "rules"],
  properties: {
    version: { type: "number", const: 1 },
    settings: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        staleAfter: { type: "string", nullable: true, pattern: DURATION_PATTERN },
        unknown: { type: "string", nullable: true, enum: ["fail", "pass", "exclude"] },
        minDevices: { type: "integer", nullable: true, minimum: 0 },
        fleet: {
          type: "object",
          nullable: true,
          additionalProperties: false,
          required: ["tenantId"],
          properties: {
            // A GUID or a domain name, as resolveConnection accepts a tenant id.
            tenantId: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
            cloud: { type: "string", nullable: true, enum: ["commercial", "gcc", "gcc-high", "dod"] },
            allowApiUrls: { type: "array", nullable: true, items: { type: "string", minLength: 1 } },
            allowAuthorityHosts: { type: "array", nullable: true, items: { type: "string", minLength: 1 } },
            caFiles: { type: "array", nullable: true, items: { type: "string", minLength: 1 } },
            method: { type: "string", nullable: true, enum: ["auto", "json", "files"] },
            cacheTtl: { type: ["string", "number"], nullable: true },
            signed: {
              type: "object",
              nullable: true,
              additionalProperties: false,
              required: ["from", "keys"],
              properties: {
                from: { type: "string", minLength: 1 },
                keys: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
                maxAge: { type: "string", nullable: true, pattern: DURATION_PATTERN },
              },
            },
          },
        },
        baseline: { type: "string", nullable: true, minLength: 1 },
        history: { type: "string", nullable: true, minLength: 1 },
      },
    },
    scopes: {
      type: "object",
      nullable: true,
      required: [],
      additionalProperties: condition,
    },
    rules: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "description", "require"],
        properties: {
          id: { type: "string", pattern: RULE_ID_PATTERN },
          description: { type: "string", minLength: 1 },
          severity: { type: "string", nullable: true, enum: ["low", "medium", "high", "critical"] },
          enforcement: { type: "string", nullable: true, enum: ["advisory", "mandatory", "disabled"] },
          scope: scopeRef,
          require: condition,
          threshold: {
            type: "object",
            nullable: true,
            additionalProperties: false,
            required: [],
            properties: {
              minPercent: { type: "number", nullable: true, minimum: 0, maximum: 100 },
              maxFailing: { type: "integer", nullable: true, minimum: 0 },
            },
          },
          regression: {
            type: "object",
            nullable: true,
            additionalProperties: false,
            required: [],
            properties: {
              maxPercentDrop: { type: "number", nullable: true, minimum: 0, maximum: 100 },
              maxNewlyFailing: { type: "integer", nullable: true, minimum: 0 },
              ratchet: { type: "boolean", nullable: true },
            },
          },
        },
      },
    },
    exceptions: {
      type: "array",
      nullable: true,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rule", "reason", "expires"],
        properties: {
          rule: { type: "string", minLength: 1 },
          devices: { type: "array", nullable: true, items: { type: "string", minLength: 1 } },
          scope: scopeRef,
          reason: { type: "string", minLength: 1 },
          expires: { type: "string", minLength: 1 },
          ticket: { type: "string", nullable: true },
        },
      },
    },
  },
};
