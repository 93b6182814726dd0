/** Types of the avhealth policy pack: its options, the engine it drives, and what it learns about each fleet. */
import type { Baseline } from "../baseline/types";
import type { NormalizedDevice } from "../model/device";
import type { AvHealthReport, EvaluationResult, ReportPublicationInfo } from "../report-model/types";
import type { ReportFormat } from "../reports/formats";
import type { CompiledRuleSet } from "../rules/types";
import type { SnapshotHeader } from "../snapshot/types";
import type { PackFetch } from "./ownSnapshot";

export type Env = Readonly<Record<string, string | undefined>>;

/** The library functions the pack uses; injectable so the policies can be tested without files or Pulumi. */
export interface PolicyEngine {
  loadRules(file: string): Promise<CompiledRuleSet>;
  openSnapshot(path: string): Promise<{ header: SnapshotHeader; devices(): AsyncIterable<NormalizedDevice> }>;
  evaluate(
    rules: CompiledRuleSet,
    snapshot: { header: SnapshotHeader; devices(): AsyncIterable<NormalizedDevice> },
    now: Date,
    rulesFile: string,
    baseline?: Baseline,
  ): Promise<EvaluationResult>;
  /** The JSON report in chunks, streamed to the file: a million-device report is never one string. */
  serializeReportChunks(report: AvHealthReport): Iterable<string>;
  writeReports(result: EvaluationResult, options: { dir: string; formats: readonly ReportFormat[]; jsonText?: () => Iterable<string> }): Promise<Record<string, string>>;
  renderMarkdown(result: EvaluationResult): string;
}

export interface AvHealthPolicyPackOptions {
  /** The pack's directory (pass `__dirname`): compliance.yaml and relative rule paths are taken from here. */
  packDir: string;
  /** Policy pack name; default "avhealth". */
  name?: string;
  /**
   * The rule file when neither AVHEALTH_RULES_FILE nor stack config `avhealth:rulesFile` names one; default
   * `compliance.yaml` in packDir. Relative paths are taken from packDir.
   */
  rulesFile?: string;
  /** Default process.env (read once, at construction: policy config arrives too late to pick the rules). */
  env?: Env;
  /** Injected in tests. */
  engine?: PolicyEngine;
  clock?: () => Date;
  /** The fetch of the pack's own snapshot (default: the library's fetchSnapshotWithConfig); injected in tests. */
  fetchSnapshot?: PackFetch;
}

/** A DeviceAvHealth resource of the stack, or the snapshot the pack took itself (README.md, "Enforce across an organization"). */
export type FleetOrigin = "resource" | "pack";

/**
 * What the pack could read of one fleet. `name` is the resource's name, or for the pack's own snapshot the
 * tenant id ("" when not even that is known); `urn` is where violations go (the stack itself for the pack's own).
 */
export type FleetRef =
  | { kind: "known"; origin: FleetOrigin; name: string; urn: string | undefined; snapshot: KnownSnapshot }
  | { kind: "unknown"; origin: FleetOrigin; name: string; urn: string | undefined; reason: string };

export interface KnownSnapshot {
  digest: string;
  path: string;
  complete: boolean;
  incompleteReasons: string[];
  deviceCount: number | null;
  /** "json" or "files" when known. */
  method: string | null;
  /** Set when the snapshot is a verified signed publication (signedSnapshot.ts). */
  publication?: ReportPublicationInfo;
}

/** One fleet evaluated against the rule file, or why it could not be. */
export type FleetEvaluation =
  | { ref: FleetRef & { kind: "known" }; kind: "evaluated"; result: EvaluationResult; snapshotPath: string }
  | { ref: FleetRef; kind: "problem"; problem: string };
