/**
 * SARIF 2.1.0: one run of the tool `avhealth`, every rule as a reportingDescriptor, and one result per rule
 * that failed or is indeterminate, located in the rules file (at the rule's line when the caller knows it).
 *
 * Level mapping (a rule's enforcement decides how loudly code scanning shows it):
 *   enforcement mandatory → "error"   (it fails the gate)
 *   enforcement advisory  → "warning"
 *   anything else         → "note"    (disabled rules are never results; the descriptor says enabled: false)
 * Severity (low/medium/high/critical) goes to the descriptor's `security-severity` property, the number
 * GitHub code scanning uses to rank alerts: low 2.0, medium 5.5, high 8.0, critical 9.5.
 *
 * With a baseline, each result carries baselineState (changes-facts.ts), and a rule that passes now but failed
 * in the baseline is reported as an "absent" result of kind "pass", so code scanning closes its alert.
 *
 * Device names never enter message text (viewers may interpret it); the first few failing devices are data
 * in the result's property bag, which JSON.stringify escapes.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { EvaluationResult, RuleComparison, RuleResult, Severity } from "../report-model/types";
import { changeSentence, sarifBaselineState } from "./changes-facts";
import { SARIF_DEVICE_CAP, capList, isEvaluated, ruleOutcomeSentence } from "./summary";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";

export type SarifLevel = "error" | "warning" | "note";

export function sarifLevel(rule: Pick<RuleResult, "enforcement">): SarifLevel {
  if (rule.enforcement === "mandatory") return "error";
  if (rule.enforcement === "advisory") return "warning";
  return "note";
}

const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  low: "2.0",
  medium: "5.5",
  high: "8.0",
  critical: "9.5",
};

/** The rules file as a SARIF artifact URI: relative paths stay relative (forward slashes), absolute ones become file: URIs. */
export function artifactUri(rulesFile: string): string {
  if (path.isAbsolute(rulesFile)) return pathToFileURL(rulesFile).href;
  return rulesFile
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function descriptor(rule: RuleResult): Record<string, unknown> {
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    defaultConfiguration: { level: sarifLevel(rule), enabled: isEvaluated(rule) },
    properties: {
      enforcement: rule.enforcement,
      severity: rule.severity,
      "security-severity": SECURITY_SEVERITY[rule.severity] ?? SECURITY_SEVERITY.medium,
      threshold: rule.threshold,
      tags: ["defender", "antivirus", "compliance"],
    },
  };
}

function location(result: EvaluationResult, rule: RuleResult): Record<string, unknown> {
  const at = result.ruleLocations?.[rule.id];
  const physicalLocation: Record<string, unknown> = {
    artifactLocation: { uri: artifactUri(result.rulesFile), index: 0 },
  };
  if (at !== undefined) physicalLocation.region = { startLine: at.line, startColumn: at.column };
  return { physicalLocation };
}

function sarifResult(result: EvaluationResult, rule: RuleResult, ruleIndex: number): Record<string, unknown> {
  const { shown, omitted } = capList(rule.failingDevices, SARIF_DEVICE_CAP);
  const baselineState = sarifBaselineState(result.report.baseline !== null, rule);
  const change = changeSentence(rule);
  const passing = rule.status === "pass";
  return {
    ruleId: rule.id,
    ruleIndex,
    kind: passing ? "pass" : "fail",
    level: passing ? "none" : sarifLevel(rule),
    message: { text: change === "" ? ruleOutcomeSentence(result.report, rule) : `${ruleOutcomeSentence(result.report, rule)} ${change}` },
    ...(baselineState === undefined ? {} : { baselineState }),
    locations: [location(result, rule)],
    // One alert per rule across runs: code scanning matches results by this instead of by line text.
    partialFingerprints: { "avhealthRule/v1": rule.id },
    properties: {
      status: rule.status,
      percent: rule.percent,
      counts: rule.counts,
      threshold: rule.threshold,
      failingDevices: shown,
      failingDevicesOmitted: omitted,
      ...(rule.comparison === null ? {} : { comparison: comparisonSummary(rule.comparison) }),
    },
  };
}

/** The comparison's figures and the first newly failing devices (data in the property bag, never message text). */
function comparisonSummary(c: RuleComparison): Record<string, unknown> {
  const { shown, omitted } = capList(c.newlyFailing, SARIF_DEVICE_CAP);
  return {
    baselineStatus: c.baselineStatus,
    baselinePercent: c.baselinePercent,
    percentDelta: c.percentDelta,
    regressed: c.regressed,
    ratcheted: c.ratcheted,
    counts: { newlyFailing: c.newlyFailing.length, fixed: c.fixed.length, waived: c.waived.length, left: c.left.length },
    newlyFailing: shown,
    newlyFailingOmitted: omitted,
  };
}

export function renderSarif(result: EvaluationResult): string {
  const { report } = result;
  const results: Record<string, unknown>[] = [];
  report.rules.forEach((rule, index) => {
    const absent = sarifBaselineState(report.baseline !== null, rule) === "absent";
    if (rule.status === "fail" || rule.status === "indeterminate" || absent) results.push(sarifResult(result, rule, index));
  });
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "avhealth", rules: report.rules.map(descriptor) } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.evaluatedAt }],
        artifacts: [{ location: { uri: artifactUri(result.rulesFile) }, roles: ["analysisTarget"] }],
        results,
        properties: { gate: report.gate, snapshot: report.snapshot, baseline: report.baseline },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
