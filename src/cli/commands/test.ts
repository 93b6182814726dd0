import * as path from "node:path";
import { runRuleCases } from "../../rules";
import { parseFlags, requireFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { paint } from "../table";

export async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("test", argv, { rules: { type: "string" }, cases: { type: "string" } });
  const rulesPath = path.resolve(io.cwd, requireFlag("test", flags, "rules"));
  const casesDir = path.resolve(io.cwd, requireFlag("test", flags, "cases"));
  const outcome = await runRuleCases(rulesPath, casesDir);
  for (const result of outcome.results) {
    const mark = result.passed ? paint("PASS", "green", io.stdoutIsTTY) : paint("FAIL", "red", io.stdoutIsTTY);
    line(io.stdout, `${mark} ${result.name}`);
    for (const diff of result.differences) line(io.stdout, `     ${diff}`);
  }
  line(io.stdout, `cases: ${outcome.passed} passed, ${outcome.failed} failed`);
  return outcome.failed === 0 ? ExitCode.OK : ExitCode.GATE_FAILED;
}
