/**
 * `avhealth emulator`: starts the emulator, prints exactly one JSON line with its URLs and credentials on
 * stdout (a script reads it; nothing else ever goes there), logs to stderr, and stops cleanly with exit 0 on
 * SIGINT/SIGTERM (or when `signal` aborts, for tests and embedding). Bad flags throw AvHealthError USAGE.
 */
import { parseArgs } from "node:util";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { redact } from "../util/redact";
import { startEmulator } from "./start";
import type { EmulatorOptions } from "./types";

export interface EmulatorCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface EmulatorCliOptions {
  /** Stops the emulator like SIGINT does. */
  signal?: AbortSignal;
}

export const EMULATOR_USAGE = `Usage: avhealth emulator [--port 0] [--devices N --seed S | --fleet FILE] [--parts K]
  [--faults SPEC] [--rate-limit json=30/60s,export=5/60s|off] [--next-link on|off] [--roles LIST]
  [--data-dir DIR] [--reference-time ISO]
Prints one JSON line with apiUrl, authorityHost, tenantId, clientId, clientSecret and caCertPath, then serves
until stopped (Ctrl-C). Faults: ROUTE:FAULT@N or ROUTE:FAULT%P; routes token, deviceavinfo, export, blob;
faults 429, 500, 502, 503, reset, truncate, corrupt, expire, empty, dup, slow, trickle (blob: one byte
a second), cycle (deviceavinfo: pages past the first link back to the first).
`;

function usage(message: string, cause?: unknown): AvHealthError {
  return new AvHealthError(ErrorCodes.USAGE, `avhealth emulator: ${message}. Run \`avhealth emulator --help\`.`, { cause });
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usage(`--${name} must be a non-negative integer (got "${value}")`);
  return Number(value);
}

/** Flags → options; exported so the mapping is tested without starting a server. */
export function parseEmulatorArgs(argv: string[]): EmulatorOptions | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
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
        help: { type: "boolean", short: "h" },
      },
    });
    values = parsed.values;
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error), error);
  }
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
  };
}

export async function runEmulatorCli(argv: string[], io: EmulatorCliIo, options: EmulatorCliOptions = {}): Promise<number> {
  const parsed = parseEmulatorArgs(argv);
  if (parsed === "help") {
    io.stdout.write(EMULATOR_USAGE);
    return 0;
  }
  const log = (message: string): void => {
    io.stderr.write(`avhealth emulator: ${redact(message)}\n`);
  };
  let emulator;
  try {
    emulator = await startEmulator({ ...parsed, onError: (error) => log(`request failed: ${error instanceof Error ? error.message : String(error)}`) });
  } catch (error) {
    if (isAvHealthError(error)) throw new AvHealthError(error.code === ErrorCodes.CONFIG_INVALID ? ErrorCodes.USAGE : error.code, error.message, { cause: error });
    throw error;
  }
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
  log(`listening on ${emulator.apiUrl}; stop with Ctrl-C`);

  await new Promise<void>((resolve) => {
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
  await emulator.close();
  const counts = emulator.requestCounts();
  log(`stopped after ${Object.entries(counts).map(([route, n]) => `${n} ${route}`).join(", ")} requests`);
  return 0;
}
