/**
 * `avhealth`: a thin shell over the library. Each command parses its flags, calls the library, prints, and returns
 * an exit code; every AvHealthError maps to an exit code in one table (exit-codes.ts) and prints a one-line,
 * secret-free message.
 */
import { isAvHealthError } from "../errors";
import { packageInfo } from "../util/package-info";
import { redact } from "../util/redact";
import { ExitCode, exitCodeFor } from "./exit-codes";
import { USAGE } from "./help";
import { line, processIo, type CliIo } from "./io";

type Command = (argv: string[], io: CliIo) => Promise<number>;

// Loaded on demand: `avhealth validate` should not pay for MSAL, undici and the emulator at start-up.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  fetch: async () => (await import("./commands/fetch")).fetchCommand,
  check: async () => (await import("./commands/check")).checkCommand,
  validate: async () => (await import("./commands/validate")).validateCommand,
  test: async () => (await import("./commands/test")).testCommand,
  emulator: async () => (await import("./commands/emulator")).emulatorCommand,
  "init-pack": async () => (await import("./commands/init-pack")).initPackCommand,
  trend: async () => (await import("./commands/trend")).trendCommand,
  keygen: async () => (await import("./commands/keygen")).keygenCommand,
  publish: async () => (await import("./commands/publish")).publishCommand,
  verify: async () => (await import("./commands/verify")).verifyCommand,
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
  const load = COMMANDS[name];
  if (load === undefined) {
    line(io.stderr, `avhealth: unknown command "${name}".\n\n${USAGE.main}`);
    return ExitCode.USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    line(io.stdout, USAGE[name] ?? USAGE.main);
    return ExitCode.OK;
  }
  try {
    const command = await load();
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
