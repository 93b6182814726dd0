/**
 * Loading rule case files: the same hostile-input guards and located problems as rule files, plus checks
 * against the rule file under test (expectations must name its rules and exceptions). Problems are returned,
 * not thrown, so a run can list the problems of every case file at once.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Ajv from "ajv";
import { ErrorCodes, isAvHealthError } from "../../errors";
import { didYouMean } from "../compile/suggest";
import { reportSchemaErrors } from "../load/ajv-errors";
import { parseYamlSource, type ParseOptions } from "../load/parse-yaml";
import { ProblemCollector, type Problem } from "../load/problems";
import { parseTimeValue, TIME_HINT } from "../operators/values";
import type { CompiledRuleSet } from "../types";
import { planDevices, type DevicePlan } from "./devices";
import { caseFileSchema, type CaseFileV1, type ExceptionExpectation, type RuleExpectation } from "./schema";

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const validateCaseFile = ajv.compile(caseFileSchema);

export const CASES: ParseOptions = {
  invalidCode: ErrorCodes.RULE_CASE_INVALID,
  tooLargeCode: ErrorCodes.RULE_CASE_INVALID,
  what: "rule case file",
  hint: "Fix the case files and run `avhealth test` again.",
};

export type CaseFleet = { kind: "inline"; plans: DevicePlan[] } | { kind: "file"; path: string };

export interface RuleCase {
  file: string;
  name: string;
  now: Date;
  complete: boolean;
  fleet: CaseFleet;
  gate: "pass" | "fail" | null;
  expect: ReadonlyArray<{ ruleId: string; expectation: RuleExpectation }>;
  exceptions: readonly ExceptionExpectation[];
}

export interface LoadedCases {
  cases: RuleCase[];
  problems: Problem[];
}

export function loadCaseText(text: string, file: string, ruleSet: CompiledRuleSet): LoadedCases {
  let source;
  try {
    source = parseYamlSource(text, file, CASES);
  } catch (error) {
    if (isAvHealthError(error) && Array.isArray(error.details.problems)) return { cases: [], problems: error.details.problems as Problem[] };
    throw error;
  }
  const problems = new ProblemCollector(file, source.locate);
  const valid = validateCaseFile(source.value);
  if (!valid) {
    reportSchemaErrors(validateCaseFile.errors ?? [], source.value, problems);
    return { cases: [], problems: problems.list() };
  }
  const doc = source.value as CaseFileV1;
  const ruleIds = ruleSet.rules.map((rule) => rule.id);
  const cases: RuleCase[] = [];
  doc.cases.forEach((input, i) => {
    const path = ["cases", i];
    const before = problems.size;
    const now = parseTimeValue(input.now);
    if (now === null) problems.add([...path, "now"], `now ${JSON.stringify(input.now)} is not a valid time; ${TIME_HINT}`);
    const fleet = checkFleet(input.devices, input.fleet, path, file, problems);
    const expect = Object.entries(input.expect ?? {}).map(([ruleId, value]) => {
      if (!ruleIds.includes(ruleId)) problems.add([...path, "expect", ruleId], `unknown rule "${ruleId}"${didYouMean(ruleId, ruleIds)}; the rule file defines ${ruleIds.join(", ")}`, "key");
      return { ruleId, expectation: typeof value === "string" ? { status: value } : value };
    });
    const exceptions = input.exceptions ?? [];
    if (exceptions.length > ruleSet.exceptions.length) {
      problems.add([...path, "exceptions"], `${exceptions.length} exception expectations, but the rule file has ${ruleSet.exceptions.length} exceptions`);
    }
    if (problems.size > before || now === null || fleet === null) return;
    cases.push({ file, name: input.name, now: new Date(now.startMs), complete: input.complete ?? true, fleet, gate: input.gate ?? null, expect, exceptions });
  });
  return { cases, problems: problems.list() };
}

function checkFleet(devices: CaseFileV1["cases"][number]["devices"], fleet: string | undefined, path: (string | number)[], file: string, problems: ProblemCollector): CaseFleet | null {
  if (devices != null && fleet != null) {
    problems.add([...path, "fleet"], "give either devices or fleet, not both");
    return null;
  }
  if (fleet != null) {
    const fleetPath = resolve(dirname(file), fleet);
    if (!existsSync(fleetPath) || !statSync(fleetPath).isFile()) {
      problems.add([...path, "fleet"], `fleet file ${fleetPath} does not exist; paths are relative to the case file`);
      return null;
    }
    return { kind: "file", path: fleetPath };
  }
  if (devices == null) {
    problems.add(path, "a case needs devices (a list of device overrides) or fleet (a JSON-API file)");
    return null;
  }
  const plans = planDevices(devices, [...path, "devices"], problems);
  return plans === null ? null : { kind: "inline", plans };
}
