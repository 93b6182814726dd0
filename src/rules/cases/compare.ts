/** Expected versus actual, as one readable line per difference. */
import type { AvHealthReport, FailingDevice, RuleResult } from "../../report-model/types";
import type { RuleCase } from "./load";
import { given, type RuleExpectation } from "./schema";

const SHOWN_FAILING = 3;

export function caseDifferences(ruleCase: RuleCase, report: AvHealthReport): string[] {
  const differences: string[] = [];
  if (ruleCase.gate !== null && ruleCase.gate !== report.gate) differences.push(`gate: expected ${ruleCase.gate}, got ${report.gate}`);
  for (const { ruleId, expectation } of ruleCase.expect) {
    const result = report.rules.find((rule) => rule.id === ruleId);
    if (result !== undefined) differences.push(...ruleDifferences(ruleId, expectation, result));
  }
  ruleCase.exceptions.forEach((expected, index) => {
    const actual = report.exceptions[index];
    if (actual === undefined) return;
    if (given(expected.state) && expected.state !== actual.state) differences.push(`exceptions[${index}] (${actual.rule}): state expected ${expected.state}, got ${actual.state}`);
    if (given(expected.devicesMatched) && expected.devicesMatched !== actual.devicesMatched) {
      differences.push(`exceptions[${index}] (${actual.rule}): devicesMatched expected ${expected.devicesMatched}, got ${actual.devicesMatched}`);
    }
  });
  return differences;
}

function ruleDifferences(ruleId: string, expected: RuleExpectation, actual: RuleResult): string[] {
  const out: string[] = [];
  if (given(expected.status) && expected.status !== actual.status) out.push(`${ruleId}: status expected ${expected.status}, got ${actual.status} (${summary(actual)})`);
  for (const [key, value] of Object.entries(expected.counts ?? {})) {
    const got = actual.counts[key as keyof RuleResult["counts"]];
    if (given(value) && value !== got) out.push(`${ruleId}: counts.${key} expected ${value}, got ${got}`);
  }
  if (given(expected.percent) && expected.percent !== actual.percent) out.push(`${ruleId}: percent expected ${expected.percent}, got ${actual.percent}`);
  if (given(expected.failingDevices)) {
    const got = new Set(actual.failingDevices.map(label));
    const want = new Set(expected.failingDevices);
    const missing = [...want].filter((name) => !got.has(name)).sort();
    const unexpected = [...got].filter((name) => !want.has(name)).sort();
    if (missing.length > 0) out.push(`${ruleId}: failingDevices missing ${missing.join(", ")}`);
    if (unexpected.length > 0) out.push(`${ruleId}: failingDevices unexpected ${unexpected.join(", ")}`);
  }
  return out;
}

function label(device: FailingDevice): string {
  return device.computerDnsName ?? device.machineId;
}

function summary(rule: RuleResult): string {
  const { counts } = rule;
  const head = `${rule.percent}% of ${counts.counted} counted, ${counts.failing} failing, ${counts.waived} waived`;
  const shown = rule.failingDevices.slice(0, SHOWN_FAILING).map((d) => `${label(d)}: ${d.reason}`);
  const more = rule.failingDevices.length > SHOWN_FAILING ? `; +${rule.failingDevices.length - SHOWN_FAILING} more` : "";
  return shown.length === 0 ? head : `${head}; ${shown.join("; ")}${more}`;
}
