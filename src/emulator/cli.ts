/**
 * `avhealth emulator`: starts the emulator, prints exactly one JSON line with its URLs and credentials on
 * stdout (a script reads it; nothing else ever goes there), logs to stderr, and stops cleanly with exit 0 on
 * SIGINT/SIGTERM (or when `signal` aborts, for tests and embedding). Bad flags throw AvHealthError USAGE.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { parseFlags, usageError } from "../cli/args";
import { helpText } from "../cli/help";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { redact } from "../util/redact";
import { startEmulator } from "./start";
import type { EmulatorOptions, RunningEmulator } from "./types";

export interface EmulatorCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where a relative --write-env is taken from (default: the process's working directory). */
  cwd?: string;
}

export interface EmulatorCliOptions {
  /** Stops the emulator like SIGINT does. */
  signal?: AbortSignal;
}

export interface EmulatorCliArgs extends EmulatorOptions {
  /**
   * --write-env: where to write `export` lines once the emulator is ready. (Not "--env-file": Node 20 takes that
   * for its own option wherever it appears on the command line, even after the script.)
   */
  envFile?: string;
}

export const EMULATOR_USAGE = `${helpText("emulator")}\n`;

function usage(message: string): AvHealthError {
  return usageError("emulator", message);
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usage(`--${name} must be a non-negative integer (got "${value}")`);
  return Number(value);
}

/** Flags → options; exported so the mapping is tested without starting a server. */
export function parseEmulatorArgs(argv: string[]): EmulatorCliArgs | "help" {
  const { values } = parseFlags("emulator", argv, {
    port: { type: "string" },
    devices: { type: "string" },
    seed: { type: "string" },
    fleet: { type: "string" },
    parts: { type: "string" },
    faults: { type: "string" },
    "rate-limit": { type: "string" },
    "next-link": { type: "string" },
    roles: { type: "string" },
    "data-dir": { type: "string" },
    "reference-time": { type: "string" },
    "write-env": { type: "string" },
  });
  if (values.help === true) return "help";
  const str = (name: string): string | undefined => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const nextLink = str("next-link");
  if (nextLink !== undefined && nextLink !== "on" && nextLink !== "off") throw usage(`--next-link must be on or off (got "${nextLink}")`);
  if (str("fleet") !== undefined && (str("devices") !== undefined || str("seed") !== undefined)) {
    throw usage("give either --devices N --seed S or --fleet FILE, not both");
  }
  const roles = str("roles");
  return {
    port: integer("port", str("port")),
    devices: integer("devices", str("devices")),
    seed: str("seed"),
    fleet: str("fleet"),
    parts: integer("parts", str("parts")),
    faults: str("faults"),
    rateLimit: str("rate-limit"),
    nextLink: nextLink === undefined ? undefined : nextLink === "on",
    roles: roles === undefined ? undefined : roles.split(",").map((r) => r.trim()).filter((r) => r !== ""),
    dataDir: str("data-dir"),
    referenceTime: str("reference-time"),
    envFile: str("write-env"),
  };
}

export async function runEmulatorCli(argv: string[], io: EmulatorCliIo, options: EmulatorCliOptions = {}): Promise<number> {
  const parsed = parseEmulatorArgs(argv);
  if (parsed === "help") {
    io.stdout.write(EMULATOR_USAGE);
    return 0;
  }
  const { envFile, ...emulatorOptions } = parsed;
  const log = (message: string): void => {
    io.stderr.write(`avhealth emulator: ${redact(message)}\n`);
  };
  const envPath = envFile === undefined ? undefined : path.resolve(io.cwd ?? process.cwd(), envFile);
  // A file left by an earlier run must not pass for this one's: it goes before anything starts.
  if (envPath !== undefined) await fs.rm(envPath, { force: true });
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ ...emulatorOptions, onError: (error) => log(`request failed: ${error instanceof Error ? error.message : String(error)}`) });
  } catch (error) {
    if (isAvHealthError(error)) throw new AvHealthError(error.code === ErrorCodes.CONFIG_INVALID ? ErrorCodes.USAGE : error.code, error.message, { cause: error });
    throw error;
  }
  // Listening for the stop signal before anyone can learn the coordinates: a script may stop it at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      options.signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop, { once: true });
  });
  io.stdout.write(
    `${JSON.stringify({
      apiUrl: emulator.apiUrl,
      authorityHost: emulator.authorityHost,
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      caCertPath: emulator.caCertPath,
      clientCertificatePath: emulator.clientCertificatePath,
      federatedTokenFile: emulator.federatedTokenFile,
      oidcRequestUrl: emulator.oidcRequestUrl,
      oidcRequestToken: emulator.oidcRequestToken,
    })}\n`,
  );
  if (envPath !== undefined) {
    try {
      await writeEnvFile(envPath, emulator);
    } catch (error) {
      await emulator.close();
      throw new AvHealthError(ErrorCodes.USAGE, `--write-env ${envFile}: cannot write it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    const sourced = path.isAbsolute(envFile as string) ? envFile : `./${envFile}`;
    log(`wrote ${envFile}: \`. ${sourced}\` exports what avhealth fetch and check need; \`kill "$AVHEALTH_EMULATOR_PID"\` stops the emulator`);
  }
  log(`listening on ${emulator.apiUrl}; stop with Ctrl-C`);

  await stopped;
  await emulator.close();
  if (envPath !== undefined) await fs.rm(envPath, { force: true });
  const counts = emulator.requestCounts();
  log(`stopped after ${Object.entries(counts).map(([route, n]) => `${n} ${route}`).join(", ")} requests`);
  return 0;
}

/** A value quoted for sh: single quotes, with any single quote closed, escaped and reopened. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** The variables `avhealth fetch` and `check` read, for this emulator, as `export` lines a shell can source. */
export function emulatorEnvLines(
  emulator: Pick<RunningEmulator, "tenantId" | "clientId" | "clientSecret" | "apiUrl" | "authorityHost" | "caCertPath">,
  pid: number = process.pid,
): string {
  const vars: Array<[string, string]> = [
    ["AZURE_TENANT_ID", emulator.tenantId],
    ["AZURE_CLIENT_ID", emulator.clientId],
    ["AZURE_CLIENT_SECRET", emulator.clientSecret],
    ["AVHEALTH_API_URL", emulator.apiUrl],
    ["AZURE_AUTHORITY_HOST", emulator.authorityHost],
    ["AVHEALTH_CA_FILE", emulator.caCertPath],
  ];
  const exports = vars.map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join("");
  // Not exported: for the script that stops it (`kill "$AVHEALTH_EMULATOR_PID"`), whatever wrapper (npx) started it.
  return `${exports}AVHEALTH_EMULATOR_PID=${pid}\n`;
}

/**
 * Written whole under a temporary name and renamed into place, only once the emulator answers: whoever sees the
 * file can source it and connect at once. Mode 0600: it holds the emulator's client secret.
 */
async function writeEnvFile(file: string, emulator: RunningEmulator): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, emulatorEnvLines(emulator), { mode: 0o600 });
  await fs.rename(temporary, file);
}
