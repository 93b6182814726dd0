/**
 * JUnit XML in the shape CI systems read (Jenkins, GitLab, Azure Pipelines, GitHub test reporters): one
 * testsuite for the rules file, one testcase per rule.
 *   mandatory fail or indeterminate → <failure> (these are what fail the gate)
 *   disabled                        → <skipped/>
 *   advisory fail or indeterminate  → passes, with the finding in <system-out> (it must not turn CI red)
 * Every value goes through escapeXmlText/escapeXmlAttr: no CDATA, so "]]>" in a name cannot end anything.
 */
import * as path from "node:path";
import type { EvaluationResult, RuleResult } from "../report-model/types";
import { escapeXmlAttr as attr, escapeXmlText as text } from "./escape";
import { fullDataNote } from "./full-data";
import { changeSentence } from "./changes-facts";
import { JUNIT_DEVICE_CAP, deviceName, failsGate, formatCount, routingCap, ruleOutcomeSentence } from "./summary";

function attrs(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([k, v]) => ` ${k}="${attr(String(v))}"`).join("");
}

/** The Ant JUnit schema's timestamp: ISO 8601 without a zone (UTC here); nothing when the input is not a date. */
function junitTimestamp(iso: string): string | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 19);
}

function deviceLines(result: EvaluationResult, rule: RuleResult): string[] {
  const { shown, omitted } = routingCap(rule.failingDevices, JUNIT_DEVICE_CAP);
  const lines = shown.map((d) => `  ${deviceName(d)} (${d.machineId}): ${d.outcome}: ${d.reason}`);
  if (omitted > 0) lines.push(`  … and ${formatCount(omitted)} more (${fullDataNote(result)})`);
  return lines.length > 0 ? ["Failing devices (fail first, then unknown):", ...lines] : [];
}

function testcase(result: EvaluationResult, rule: RuleResult, classname: string): string {
  const at = result.ruleLocations?.[rule.id];
  const head = `    <testcase${attrs([
    ["classname", classname],
    ["name", rule.id],
    ["file", result.rulesFile],
    ...(at === undefined ? [] : ([["line", at.line]] as const)),
    ["time", "0"],
  ])}>`;
  // The change since the baseline rides in the sentence, so CI test views show the delta beside the outcome.
  const change = changeSentence(rule);
  const sentence = change === "" ? ruleOutcomeSentence(result.report, rule) : `${ruleOutcomeSentence(result.report, rule)} ${change}`;
  const body: string[] = [];
  if (rule.status === "disabled") {
    body.push(`      <skipped${attrs([["message", "enforcement: disabled"]])}/>`);
  } else if (failsGate(rule)) {
    const detail = [rule.description, sentence, ...deviceLines(result, rule)].join("\n");
    body.push(`      <failure${attrs([["message", sentence], ["type", rule.status]])}>${text(detail)}</failure>`);
  } else {
    const advisory = rule.status === "pass" ? "" : `ADVISORY (${rule.enforcement}) ${rule.status.toUpperCase()}: `;
    const detail = [`${advisory}${rule.description}`, sentence, ...(advisory ? deviceLines(result, rule) : [])].join("\n");
    body.push(`      <system-out>${text(detail)}</system-out>`);
  }
  return [head, ...body, "    </testcase>"].join("\n");
}

export function renderJunit(result: EvaluationResult): string {
  const { report } = result;
  const rules = report.rules;
  const tests = rules.length;
  const failures = rules.filter(failsGate).length;
  const skipped = rules.filter((r) => r.status === "disabled").length;
  const counts: Array<readonly [string, number]> = [
    ["tests", tests],
    ["failures", failures],
    ["errors", 0],
    ["skipped", skipped],
  ];
  const suiteName = result.rulesFile;
  // Dots in classname read as package separators in Jenkins; the file's base name keeps one readable group.
  const classname = `avhealth.${path.basename(result.rulesFile.replace(/\\/g, "/")).replace(/\.[^.]*$/, "").replace(/\./g, "_")}`;
  const timestamp = junitTimestamp(report.evaluatedAt);
  const properties: Array<readonly [string, string]> = [
    ["gate", report.gate],
    ["evaluatedAt", report.evaluatedAt],
    ["snapshot.digest", report.snapshot.digest],
    ["snapshot.method", report.snapshot.method],
    ["snapshot.complete", String(report.snapshot.complete)],
    ["snapshot.deviceCount", String(report.snapshot.deviceCount)],
    ...(report.baseline === null
      ? []
      : ([
          ["baseline.file", report.baseline.file],
          ["baseline.evaluatedAt", report.baseline.evaluatedAt],
          ["baseline.snapshotDigest", report.baseline.snapshotDigest],
        ] as const)),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([["name", "avhealth"], ...counts, ["time", "0"]])}>`,
    `  <testsuite${attrs([
      ["name", suiteName],
      ...counts,
      ["time", "0"],
      ...(timestamp === null ? [] : ([["timestamp", timestamp]] as const)),
    ])}>`,
    "    <properties>",
    ...properties.map(([name, value]) => `      <property${attrs([["name", name], ["value", value]])}/>`),
    "    </properties>",
    ...rules.map((rule) => testcase(result, rule, classname)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
