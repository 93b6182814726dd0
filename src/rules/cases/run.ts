/**
 * runRuleCases: the engine behind `avhealth test --rules FILE --cases DIR`. Every `*.yaml`/`*.yml` file in DIR
 * (not recursive, in name order) is loaded first; any problem in any of them throws RULE_CASE_INVALID listing
 * all of them. Then each case is evaluated with the real engine and compared with its expectations.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { AvHealthError, ErrorCodes } from "../../errors";
import { serializeDevice, type NormalizedDevice } from "../../model/device";
import { openSnapshotInput } from "../../snapshot";
import type { SnapshotHeader } from "../../snapshot/types";
import { evaluate, type SnapshotInput } from "../evaluate/evaluate";
import { loadRuleFile, readBounded } from "../load/load";
import { problemsError, type Problem } from "../load/problems";
import { streamOf } from "../testing/make-device";
import type { CompiledRuleSet } from "../types";
import { caseDifferences } from "./compare";
import { buildDevices } from "./devices";
import { CASES, loadCaseText, type RuleCase } from "./load";

export interface RuleCaseResult {
  /** `<case file>: <case name>`. */
  name: string;
  file: string;
  passed: boolean;
  /** One line per expectation that did not hold; empty when passed. */
  differences: string[];
}

export interface RuleCasesOutcome {
  results: RuleCaseResult[];
  passed: number;
  failed: number;
}

export async function runRuleCases(rulesFile: string, casesDir: string): Promise<RuleCasesOutcome> {
  const ruleSet = await loadRuleFile(rulesFile);
  const cases = await loadCases(casesDir, ruleSet);
  const results: RuleCaseResult[] = [];
  for (const ruleCase of cases) {
    const { report } = await evaluate(ruleSet, await caseSnapshot(ruleCase), ruleCase.now, { rulesFile });
    const differences = caseDifferences(ruleCase, report);
    results.push({ name: `${basename(ruleCase.file)}: ${ruleCase.name}`, file: ruleCase.file, passed: differences.length === 0, differences });
  }
  const passed = results.filter((result) => result.passed).length;
  return { results, passed, failed: results.length - passed };
}

async function loadCases(casesDir: string, ruleSet: CompiledRuleSet): Promise<RuleCase[]> {
  let names: string[];
  try {
    names = (await readdir(casesDir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch (error) {
    throw new AvHealthError(ErrorCodes.RULE_CASE_INVALID, `cannot read the case directory ${casesDir}: ${(error as Error).message}; check --cases`, {
      cause: error,
      details: { file: casesDir },
    });
  }
  if (names.length === 0) {
    throw new AvHealthError(ErrorCodes.RULE_CASE_INVALID, `no case files (*.yaml) in ${casesDir}; write at least one, or check --cases`, {
      details: { file: casesDir },
    });
  }
  const cases: RuleCase[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const file = join(casesDir, name);
    const loaded = loadCaseText(await readBounded(file, CASES, "--cases"), file, ruleSet);
    cases.push(...loaded.cases);
    problems.push(...loaded.problems);
  }
  if (problems.length > 0) throw problemsError(casesDir, problems, { ...CASES, what: "rule case files in", code: CASES.invalidCode });
  return cases;
}

async function caseSnapshot(ruleCase: RuleCase): Promise<SnapshotInput> {
  if (ruleCase.fleet.kind === "file") {
    const opened = await openSnapshotInput(ruleCase.fleet.path);
    return { header: { ...opened.header, complete: opened.header.complete && ruleCase.complete }, devices: opened.devices };
  }
  const devices = buildDevices(ruleCase.fleet.plans, ruleCase.now);
  return { header: inlineHeader(devices, ruleCase), devices: streamOf(devices) };
}

/** A header like a fetched snapshot's, so the report of a case reads like a real one. */
function inlineHeader(devices: readonly NormalizedDevice[], ruleCase: RuleCase): SnapshotHeader {
  const digest = createHash("sha256");
  for (const device of devices) digest.update(`${serializeDevice(device)}\n`);
  return {
    kind: "avhealth-snapshot",
    schemaVersion: 1,
    method: "json",
    complete: ruleCase.complete,
    deviceCount: devices.length,
    generatedTime: null,
    fetchedAt: ruleCase.now.toISOString(),
    source: { apiUrl: null, filter: null },
    digest: `sha256:${digest.digest("hex")}`,
  };
}
