import { runRuleCases } from "../../rules";
import { existingInput, parseFlags, requireFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { paint } from "../table";

export const TEST_FLAGS = { rules: { type: "string" }, cases: { type: "string" } } as const;

export async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("test", argv, TEST_FLAGS);
  const rulesPath = await existingInput(io.cwd, "--rules", requireFlag("test", flags, "rules"));
  const casesDir = await existingInput(io.cwd, "--cases", requireFlag("test", flags, "cases"), "directory");
  const outcome = await runRuleCases(rulesPath, casesDir);
  for (const result of outcome.results) {
    const mark = result.passed ? paint("PASS", "green", io.stdoutIsTTY) : paint("FAIL", "red", io.stdoutIsTTY);
    line(io.stdout, `${mark} ${result.name}`);
    for (const diff of result.differences) line(io.stdout, `     ${diff}`);
  }
  line(io.stdout, `cases: ${outcome.passed} passed, ${outcome.failed} failed`);
  return outcome.failed === 0 ? ExitCode.OK : ExitCode.GATE_FAILED;
}
