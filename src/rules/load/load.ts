/**
 * loadRuleFile / loadRuleText: the only way into the engine. A rule file is parsed, validated against the
 * schema and compiled once; any problem anywhere throws RULES_INVALID listing all of them (or
 * RULES_TOO_LARGE before anything is parsed).
 */
import * as fs from "node:fs/promises";
import Ajv from "ajv";
import { AvHealthError, ErrorCodes } from "../../errors";
import { compileRuleSet } from "../compile/rule-set";
import type { CompiledRuleSet } from "../types";
import { reportSchemaErrors } from "./ajv-errors";
import { MAX_FILE_BYTES, parseYamlSource, type ParseOptions } from "./parse-yaml";
import { ProblemCollector, problemsError } from "./problems";
import { ruleFileSchema } from "./schema";

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
const validateRuleFile = ajv.compile(ruleFileSchema);

const RULES: ParseOptions = {
  invalidCode: ErrorCodes.RULES_INVALID,
  tooLargeCode: ErrorCodes.RULES_TOO_LARGE,
  what: "rule file",
  hint: "Fix these and check again with `avhealth validate --rules FILE`.",
};

export function loadRuleText(text: string, fileName: string): CompiledRuleSet {
  const source = parseYamlSource(text, fileName, RULES);
  const problems = new ProblemCollector(fileName, source.locate);
  if (!validateRuleFile(source.value)) reportSchemaErrors(validateRuleFile.errors ?? [], source.value, problems);
  const ruleSet = compileRuleSet(source.value, fileName, problems);
  if (ruleSet === null || problems.size > 0) throw problemsError(fileName, problems.list(), { ...RULES, code: RULES.invalidCode });
  return ruleSet;
}

/** `displayName` is how problems name the file (default `path`), e.g. the path as the user typed it. */
export async function loadRuleFile(path: string, displayName: string = path): Promise<CompiledRuleSet> {
  const text = await readBounded(path, RULES, "--rules");
  return loadRuleText(text, displayName);
}

/** Reads a YAML input, refusing oversized files before reading them. */
export async function readBounded(path: string, options: ParseOptions, flag: string): Promise<string> {
  let size: number;
  try {
    size = (await fs.stat(path)).size;
  } catch (error) {
    throw new AvHealthError(options.invalidCode, `cannot read ${options.what} ${path}: ${(error as Error).message}; check the path given to ${flag}`, {
      cause: error,
      details: { file: path },
    });
  }
  if (size > MAX_FILE_BYTES) {
    const problem = { file: path, line: 1, col: 1, path: "(document)", message: `file is ${size} bytes; the limit is ${MAX_FILE_BYTES} bytes (1 MiB)` };
    throw problemsError(path, [problem], { ...options, code: options.tooLargeCode });
  }
  return fs.readFile(path, "utf8");
}
