import { isAvHealthError } from "../../errors";
import { loadRuleFile } from "../../rules";
import { existingInput, parseFlags, requireFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";

export const VALIDATE_FLAGS = { rules: { type: "string" } } as const;

export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("validate", argv, VALIDATE_FLAGS);
  const rulesPath = requireFlag("validate", flags, "rules");
  // A missing file is a usage problem (stderr, exit 2), not a list of rule problems.
  const absolute = await existingInput(io.cwd, "--rules", rulesPath);
  try {
    const rules = await loadRuleFile(absolute, rulesPath);
    line(io.stdout, `${rulesPath}: valid (${rules.rules.length} rules)`);
    return ExitCode.OK;
  } catch (error) {
    if (isAvHealthError(error, "RULES_INVALID") || isAvHealthError(error, "RULES_TOO_LARGE")) {
      for (const text of problemLines(error.details)) line(io.stdout, text);
      if (!Array.isArray(error.details.problems)) line(io.stdout, error.message);
      return ExitCode.USAGE;
    }
    throw error;
  }
}

interface Problem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

export function problemLines(details: Record<string, unknown>): string[] {
  const problems = Array.isArray(details.problems) ? (details.problems as Problem[]) : [];
  return problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.path}: ${p.message}`);
}
