/** The JSON report model (README.md, "The command line"). Every other report format is rendered from this object. */
import type { HistoryEntry } from "../history/types";

export type RuleStatus = "pass" | "fail" | "indeterminate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";
export type Enforcement = "advisory" | "mandatory" | "disabled";

export interface RuleCounts {
  inScope: number;
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
  counted: number;
  passing: number;
  failing: number;
}

export interface FailingDevice {
  machineId: string;
  computerDnsName: string | null;
  outcome: "fail" | "unknown";
  reason: string;
  /**
   * Where to route the device: its machine group, OS platform and when Defender last saw it. The evaluator sets
   * them for the Markdown, HTML and CSV reports; the JSON report keeps the contract's four keys
   * (canonicalReport), so these are absent from a report read back from JSON.
   */
  rbacGroupName?: string | null;
  osPlatform?: string | null;
  lastSeenTime?: string | null;
}

export interface RuleResult {
  id: string;
  description: string;
  severity: Severity;
  enforcement: Enforcement;
  status: RuleStatus;
  counts: RuleCounts;
  /** Rounded to two decimals; the status was decided on the unrounded value. */
  percent: number;
  threshold: { minPercent: number; maxFailing: number | null };
  failingDevices: FailingDevice[];
  /** The change since the baseline (baselines.md); null when there is no baseline or the rule is not compared. */
  comparison: RuleComparison | null;
  /**
   * Why comparison is null ("no baseline: ..."), or, when a `regression` key changed or decided the status, why
   * (the figures); null otherwise. Beyond the spec's keys: the spec asks the report to say both.
   */
  baselineNote: string | null;
}

/** A device that was failing in the baseline and is not now; the name is the baseline's. */
export interface BaselineDevice {
  machineId: string;
  computerDnsName: string | null;
}

export interface RuleComparison {
  baselineStatus: "pass" | "fail";
  baselinePercent: number;
  /** Current unrounded percent minus the baseline's percent as written. */
  percentDelta: number;
  regressed: boolean;
  ratcheted: boolean;
  /** Failing now and not in the baseline's failing list (new devices included), sorted like failingDevices. */
  newlyFailing: FailingDevice[];
  /** Failing in the baseline, in scope now with outcome pass. */
  fixed: BaselineDevice[];
  /** Failing in the baseline, in scope now and waived by an exception. */
  waived: BaselineDevice[];
  /** Failing in the baseline, not in the snapshot now or out of the rule's scope. */
  left: BaselineDevice[];
}

/** The report a comparison was made against. */
export interface ReportBaselineInfo {
  /** As the caller named it (the CLI: relative to the working directory). */
  file: string;
  evaluatedAt: string;
  snapshotDigest: string;
}

export interface ExceptionResult {
  rule: string;
  reason: string;
  expires: string;
  state: "active" | "expired" | "unused";
  devicesMatched: number;
}

export interface ReportSnapshotInfo {
  digest: string;
  method: string;
  complete: boolean;
  deviceCount: number;
  generatedTime: string | null;
  /** The tenant the snapshot was taken from; null when the snapshot does not say. */
  tenantId: string | null;
  /** Present when the snapshot came from a verified signed publication. */
  publication?: ReportPublicationInfo;
}

/** The signed publication a snapshot was verified from (location without credentials). */
export interface ReportPublicationInfo {
  location: string;
  keyid: string;
  fetchedAt: string;
  expiresAt: string;
  /** now − fetchedAt when verified, in whole seconds. */
  ageSeconds: number;
  deviceCount: number;
}

/** Version 2 added baseline, per-rule comparison and baselineNote, and snapshot.tenantId. */
export const REPORT_SCHEMA_VERSION = 2;

export interface AvHealthReport {
  kind: "avhealth-report";
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  evaluatedAt: string;
  gate: "pass" | "fail";
  snapshot: ReportSnapshotInfo;
  baseline: ReportBaselineInfo | null;
  rules: RuleResult[];
  exceptions: ExceptionResult[];
}

/** Facts beside the JSON report that the HTML and Markdown renderers chart (not part of the JSON contract). */
export interface RbacGroupOutcome {
  rbacGroupName: string;
  /** Device-rule outcomes summed over enabled rules. */
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
}

export interface EvaluationResult {
  report: AvHealthReport;
  rbacGroups: RbacGroupOutcome[];
  /** The rule file the report came from, for SARIF locations and JUnit suite names. */
  rulesFile: string;
  /**
   * Optional: where each rule (by id) starts in rulesFile, 1-based. When given, SARIF results and JUnit
   * testcases point at the rule's line instead of the whole file.
   */
  ruleLocations?: Readonly<Record<string, { line: number; column: number }>>;
  /**
   * Optional: the names of the report files written into the same directory (writeReports sets it). Capped
   * device lists point only at files named here; unset, they name the formats instead of files.
   */
  reportFiles?: readonly string[];
  /** Optional: the evaluation history up to and including this evaluation, oldest first (trend charts). */
  history?: readonly HistoryEntry[];
}
