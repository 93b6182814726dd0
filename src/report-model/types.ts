/** The JSON report model (shared/spec/cli-and-reports.md). Every other report format is rendered from this object. */
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
}

export interface AvHealthReport {
  kind: "avhealth-report";
  schemaVersion: 1;
  evaluatedAt: string;
  gate: "pass" | "fail";
  snapshot: ReportSnapshotInfo;
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
}
