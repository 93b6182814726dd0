/**
 * `avhealth`: a thin shell over the library. Each command parses its flags, calls the library, prints, and returns
 * an exit code; every AvHealthError maps to an exit code in one table (exit-codes.ts) and prints a secret-free
 * message on stderr with one "avhealth <command>:" prefix, added here and nowhere else.
 */
import { isAvHealthError } from "../errors";
import { closest } from "../rules/compile/suggest";
import { packageInfo } from "../util/package-info";
import { redact } from "../util/redact";
import { ExitCode, exitCodeFor } from "./exit-codes";
import { helpText } from "./help";
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

/** "avhealth check: msg", whether or not the message already starts with a prefix of its own. */
export function prefixed(command: string, message: string): string {
  const own = /^avhealth(?: [a-z-]+)?: /;
  let text = message;
  while (own.test(text)) text = text.replace(own, "");
  return `avhealth ${command}: ${text}`;
}

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    line(name === undefined ? io.stderr : io.stdout, helpText("main"));
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === "--version" || name === "-V") {
    line(io.stdout, packageInfo().version);
    return ExitCode.OK;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    const match = closest(name, Object.keys(COMMANDS));
    line(io.stderr, `avhealth: unknown command "${name}"${match === null ? "" : ` (did you mean "${match}"?)`}.\n\n${helpText("main")}`);
    return ExitCode.USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    line(io.stdout, helpText(name));
    return ExitCode.OK;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    if (isAvHealthError(error)) {
      // The code ends the first line; a usage error's usage lines follow it.
      const [first, ...more] = prefixed(name, redact(error.message)).split("\n");
      line(io.stderr, [`${first} [${error.code}]`, ...more].join("\n"));
      return exitCodeFor(error.code);
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    line(io.stderr, prefixed(name, `unexpected error: ${redact(detail)}`));
    return ExitCode.INCOMPLETE;
  }
}
