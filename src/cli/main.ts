/**
 * `avhealth`: a thin shell over the library. Each command parses its flags, calls the library, prints, and returns
 * an exit code; every AvHealthError maps to an exit code in one table (exit-codes.ts) and prints a one-line,
 * secret-free message.
 */
import { isAvHealthError } from "../errors";
import { packageInfo } from "../util/package-info";
import { redact } from "../util/redact";
import { checkCommand } from "./commands/check";
import { emulatorCommand } from "./commands/emulator";
import { fetchCommand } from "./commands/fetch";
import { initPackCommand } from "./commands/init-pack";
import { testCommand } from "./commands/test";
import { validateCommand } from "./commands/validate";
import { ExitCode, exitCodeFor } from "./exit-codes";
import { USAGE } from "./help";
import { line, processIo, type CliIo } from "./io";

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  fetch: fetchCommand,
  check: checkCommand,
  validate: validateCommand,
  test: testCommand,
  emulator: emulatorCommand,
  "init-pack": initPackCommand,
};

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    line(name === undefined ? io.stderr : io.stdout, USAGE.main);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === "--version") {
    line(io.stdout, packageInfo().version);
    return ExitCode.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    line(io.stderr, `avhealth: unknown command "${name}".\n\n${USAGE.main}`);
    return ExitCode.USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    line(io.stdout, USAGE[name] ?? USAGE.main);
    return ExitCode.OK;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (isAvHealthError(error)) {
      line(io.stderr, `avhealth ${name}: ${redact(error.message)} [${error.code}]`);
      return exitCodeFor(error.code);
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    line(io.stderr, `avhealth ${name}: unexpected error: ${redact(detail)}`);
    return ExitCode.INCOMPLETE;
  }
}
