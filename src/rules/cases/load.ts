/**
 * Loading rule case files: the same hostile-input guards and located problems as rule files, plus checks
 * against the rule file under test (expectations must name its rules and exceptions). Problems are returned,
 * not thrown, so a run can list the problems of every case file at once.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Ajv from "ajv";
import { ErrorCodes, isAvHealthError } from "../../errors";
import { isPlainMap } from "../compile/condition";
import { didYouMean } from "../compile/suggest";
import { reportSchemaErrors } from "../load/ajv-errors";
import { parseYamlSource, type ParseOptions } from "../load/parse-yaml";
import { ProblemCollector, type Problem } from "../load/problems";
import { parseTimeValue, TIME_HINT } from "../operators/values";
import type { CompiledRuleSet } from "../types";
import { planDevices, type DevicePlan } from "./devices";
import { caseFileSchema, given, type CaseInput, type ExceptionExpectation, type RuleExpectation } from "./schema";

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
  if (!valid) reportSchemaErrors(validateCaseFile.errors ?? [], source.value, problems);
  // The checks below also run on a file that failed the schema (reading defensively), so one run lists every problem.
  const doc = isPlainMap(source.value) ? source.value : {};
  const ruleIds = ruleSet.rules.map((rule) => rule.id);
  const cases: RuleCase[] = [];
  (Array.isArray(doc.cases) ? doc.cases : []).forEach((input: unknown, i) => {
    if (!isPlainMap(input)) return;
    const path = ["cases", i];
    const now = typeof input.now === "string" ? parseTimeValue(input.now) : null;
    if (typeof input.now === "string" && input.now !== "" && now === null) {
      problems.add([...path, "now"], `now ${JSON.stringify(input.now)} is not a valid time; ${TIME_HINT}`);
    }
    const fleet = checkFleet(input.devices, input.fleet, path, file, problems);
    const expectations = isPlainMap(input.expect) ? input.expect : {};
    for (const ruleId of Object.keys(expectations)) {
      if (!ruleIds.includes(ruleId)) problems.add([...path, "expect", ruleId], `unknown rule "${ruleId}"${didYouMean(ruleId, ruleIds)}; the rule file defines ${ruleIds.join(", ")}`, "key");
    }
    const exceptions = Array.isArray(input.exceptions) ? input.exceptions : [];
    if (exceptions.length > ruleSet.exceptions.length) {
      problems.add([...path, "exceptions"], `${exceptions.length} exception expectations, but the rule file has ${ruleSet.exceptions.length} exceptions`);
    }
    if (!valid || problems.size > 0 || now === null || fleet === null) return;
    // The schema held, so the input has the CaseInput shape.
    const typed = input as unknown as CaseInput;
    cases.push({
      file,
      name: typed.name,
      now: new Date(now.startMs),
      complete: typed.complete ?? true,
      fleet,
      gate: typed.gate ?? null,
      expect: Object.entries(typed.expect ?? {}).map(([ruleId, value]) => ({ ruleId, expectation: typeof value === "string" ? { status: value } : value })),
      exceptions: typed.exceptions ?? [],
    });
  });
  return { cases: problems.size > 0 ? [] : cases, problems: problems.list() };
}

function checkFleet(devices: unknown, fleet: unknown, path: (string | number)[], file: string, problems: ProblemCollector): CaseFleet | null {
  if (given(devices) && given(fleet)) {
    problems.add([...path, "fleet"], "give either devices or fleet, not both");
    return null;
  }
  if (typeof fleet === "string") {
    const fleetPath = resolve(dirname(file), fleet);
    if (!existsSync(fleetPath) || !statSync(fleetPath).isFile()) {
      problems.add([...path, "fleet"], `fleet file ${fleetPath} does not exist; paths are relative to the case file`);
      return null;
    }
    return { kind: "file", path: fleetPath };
  }
  if (!given(devices) && !given(fleet)) {
    problems.add(path, "a case needs devices (a list of device overrides) or fleet (a JSON-API file)");
    return null;
  }
  if (!Array.isArray(devices)) return null; // the schema pass reports the wrong type
  const plans = planDevices(devices.filter(isPlainMap), [...path, "devices"], problems);
  return plans === null ? null : { kind: "inline", plans };
}
