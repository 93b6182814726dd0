/**
 * Flag parsing on node:util parseArgs in strict mode: unknown flags, missing values and stray positionals are
 * USAGE errors that name the flag and point at `avhealth <command> --help`.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { AvHealthError, ErrorCodes } from "../errors";

export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseFlags(command: string, argv: string[], options: FlagSpec, maxPositionals = 0): ParsedFlags {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AvHealthError(ErrorCodes.USAGE, `avhealth ${command}: ${reason}. Run \`avhealth ${command} --help\`.`, { cause: error });
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(" ");
    throw new AvHealthError(ErrorCodes.USAGE, `avhealth ${command}: unexpected argument "${extra}". Run \`avhealth ${command} --help\`.`);
  }
  return { values: parsed.values as ParsedFlags["values"], positionals: parsed.positionals };
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === "string" ? value : undefined;
}

export function requireFlag(command: string, flags: ParsedFlags, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value === "") {
    throw new AvHealthError(ErrorCodes.USAGE, `avhealth ${command}: --${name} is required. Run \`avhealth ${command} --help\`.`);
  }
  return value;
}

export function choiceFlag<T extends string>(command: string, flags: ParsedFlags, name: string, choices: readonly T[], fallback: T): T {
  const value = stringFlag(flags, name);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new AvHealthError(ErrorCodes.USAGE, `avhealth ${command}: --${name} must be one of ${choices.join(", ")} (got "${value}").`);
}

/** --now takes an ISO-8601 date or timestamp; default the current time. */
export function nowFlag(command: string, flags: ParsedFlags, clock: () => Date): Date {
  const value = stringFlag(flags, "now");
  if (value === undefined) return clock();
  const parsed = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    throw new AvHealthError(ErrorCodes.USAGE, `avhealth ${command}: --now must be an ISO-8601 date or timestamp such as 2026-11-27T12:00:00Z (got "${value}").`);
  }
  return parsed;
}
