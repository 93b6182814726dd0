/** Types shared by the rules engine's folders: outcomes, compiled conditions and the compiled rule set. */
import type { FleetPins } from "../config/types";
import type { NormalizedDevice } from "../model/device";
import type { Enforcement, Severity } from "../report-model/types";
import type { UnknownMode } from "./load/schema";

export type { UnknownMode } from "./load/schema";
export type { FleetPins } from "../config/types";

/** Three-valued per-device outcome of a condition (rules-v1.md "Per-device outcome of one rule"). */
export type Outcome = "pass" | "fail" | "unknown";
export const PASS: Outcome = "pass";
export const FAIL: Outcome = "fail";
export const UNKNOWN: Outcome = "unknown";

/** Fixed for one evaluation, so every device is judged against the same clock. */
export interface EvalContext {
  readonly nowMs: number;
}

export interface CompiledCondition {
  test(device: NormalizedDevice, ctx: EvalContext): Outcome;
  /** Why the condition is FAIL or UNKNOWN for this device; only called for those, off the hot path. */
  explain(device: NormalizedDevice, ctx: EvalContext): string;
  /** A source-like rendering, e.g. `avMode eq active`, used in reasons and diagnostics. */
  readonly text: string;
}

export interface RuleThreshold {
  minPercent: number;
  maxFailing: number | null;
}

/** A rule's `regression` key; all null/false when absent, which changes nothing. */
export interface RuleRegression {
  readonly maxPercentDrop: number | null;
  readonly maxNewlyFailing: number | null;
  readonly ratchet: boolean;
}

/** What callers (reports, the policy pack) may know about a rule. */
export interface RuleInfo {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly threshold: RuleThreshold;
  readonly regression: RuleRegression;
  /** The scope name when the rule names one; null for an inline selector or no scope. */
  readonly scopeName: string | null;
  /** Where the rule starts in its file (1-based), for SARIF and JUnit locations. */
  readonly location: { readonly line: number; readonly column: number };
}

export interface CompiledRule extends RuleInfo {
  /** Index into CompiledRuleSet.selectors, or -1 for every device. */
  readonly scopeIndex: number;
  readonly require: CompiledCondition;
}

export interface CompiledException {
  /** A rule id or "*". */
  readonly rule: string;
  readonly reason: string;
  /** As written in the file (a YYYY-MM-DD date or a timestamp), reported unchanged. */
  readonly expires: string;
  /** Last instant (epoch ms) at which the exception still applies: a bare date lasts to 23:59:59.999Z. */
  readonly expiresAtMs: number;
  readonly ticket: string | null;
  /** Lower-cased computerDnsName or machineId values. */
  readonly devices: ReadonlySet<string>;
  /** Index into CompiledRuleSet.selectors, or -1 when the exception lists devices only. */
  readonly scopeIndex: number;
}

export interface RuleSettings {
  /** As written, e.g. "7d"; used in staleness reasons. */
  readonly staleAfter: string;
  readonly staleAfterMs: number;
  readonly unknown: UnknownMode;
  readonly minDevices: number;
  /** Trust pins (settings.fleet); null when the rule file does not pin the fleet. */
  readonly fleet: FleetPins | null;
  /** settings.baseline as written (relative to the rule file), or null. */
  readonly baseline: string | null;
  /** settings.history as written (relative to the rule file), or null. */
  readonly history: string | null;
}


export interface CompiledRuleSet {
  /** The file name the rules came from (as given to the loader). */
  readonly file: string;
  readonly settings: RuleSettings;
  /** In file order. */
  readonly rules: readonly CompiledRule[];
  /** In file order. */
  readonly exceptions: readonly CompiledException[];
  /**
   * Every selector the rules and exceptions use (named scopes once each, inline selectors once per use), so an
   * evaluation can judge each selector once per device however many rules share it.
   */
  readonly selectors: readonly CompiledCondition[];
}
