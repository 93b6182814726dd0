/**
 * Flag parsing on node:util parseArgs in strict mode: unknown flags, missing values and stray positionals are
 * USAGE errors that name the flag, suggest the closest known one and repeat the command's usage line. Messages
 * carry no "avhealth <command>:" prefix: main.ts adds it once, for every message.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { AvHealthError, ErrorCodes } from "../errors";
import { closest } from "../rules/compile/suggest";
import { usageLine } from "./help";

export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const HELP_FLAG: FlagSpec = { help: { type: "boolean", short: "h" } };

/** A USAGE error whose message ends with the command's usage line and where to read more. */
export function usageError(command: string, message: string, cause?: unknown): AvHealthError {
  return new AvHealthError(ErrorCodes.USAGE, `${message}\n${usageLine(command)}\nRun \`avhealth ${command} --help\` for every option.`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

/** parseArgs's own text for an unknown option has an unbalanced quote and a hint about "--"; say it plainly. */
function explainParseError(command: string, error: unknown, options: FlagSpec): AvHealthError {
  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  const known = Object.keys(options).map((name) => `--${name}`);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'(-[^']*)'/.exec(reason)?.[1] ?? reason;
    const bare = flag.replace(/=.*$/, "");
    const match = closest(bare, known);
    return usageError(command, `unknown option ${bare}${match === null ? "" : ` (did you mean ${match}?)`}`, error);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(-[^']*)'/.exec(reason)?.[1] ?? "";
    const name = /--[a-z-]+/.exec(flag)?.[0];
    if (name === undefined) return usageError(command, reason.replace(/'/g, ""), error);
    return usageError(command, /does not take an argument/.test(reason) ? `${name} takes no value` : `${name} needs a value`, error);
  }
  return usageError(command, reason.replace(/'/g, ""), error);
}

export function parseFlags(command: string, argv: string[], options: FlagSpec, maxPositionals = 0): ParsedFlags {
  const all = { ...options, ...HELP_FLAG };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: all, strict: true, allowPositionals: true });
  } catch (error) {
    throw explainParseError(command, error, all);
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(" ");
    throw usageError(command, `unexpected argument "${extra}"`);
  }
  return { values: parsed.values as ParsedFlags["values"], positionals: parsed.positionals };
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === "string" ? value : undefined;
}

export function requireFlag(command: string, flags: ParsedFlags, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value === "") throw usageError(command, `--${name} is required`);
  return value;
}

export function choiceFlag<T extends string>(_command: string, flags: ParsedFlags, name: string, choices: readonly T[], fallback: T): T {
  const value = stringFlag(flags, name);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new AvHealthError(ErrorCodes.USAGE, `--${name} must be one of ${choices.join(", ")} (got "${value}").`);
}

/** --now takes an ISO-8601 date or timestamp; default the current time. */
export function nowFlag(_command: string, flags: ParsedFlags, clock: () => Date): Date {
  const value = stringFlag(flags, "now");
  if (value === undefined) return clock();
  const parsed = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    throw new AvHealthError(ErrorCodes.USAGE, `--now must be an ISO-8601 date or timestamp such as 2026-11-27T12:00:00Z (got "${value}").`);
  }
  return parsed;
}

export type InputKind = "file" | "directory" | "file or directory";

/**
 * An input path that must exist: resolved against `cwd`, checked before any work, and when missing named as
 * missing with the flag that gave it (a USAGE error, so exit 2 and a message on stderr).
 */
export async function existingInput(cwd: string, flag: string, value: string, kind: InputKind = "file"): Promise<string> {
  const absolute = path.resolve(cwd, value);
  let failure: NodeJS.ErrnoException | undefined;
  const stat = await fs.stat(absolute).catch((error: NodeJS.ErrnoException) => {
    failure = error;
    return null;
  });
  if (stat === null) {
    const missing = failure?.code === "ENOENT" || failure?.code === "ENOTDIR";
    const why = missing ? `no such ${kind}` : `cannot be read (${failure?.code ?? String(failure)})`;
    throw new AvHealthError(ErrorCodes.USAGE, `${flag} ${value}: ${why}${missing && absolute !== value ? ` (looked for ${absolute})` : ""}.`, {
      cause: failure,
      details: { flag, file: absolute },
    });
  }
  const isDir = stat.isDirectory();
  if ((kind === "file" && isDir) || (kind === "directory" && !isDir)) {
    throw new AvHealthError(ErrorCodes.USAGE, `${flag} ${value}: is ${isDir ? "a directory" : "not a directory"}; give a ${kind}.`, {
      details: { flag, file: absolute },
    });
  }
  return absolute;
}
