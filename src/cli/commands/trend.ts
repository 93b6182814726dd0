/** `avhealth trend --history FILE [--rule ID] [--output table|csv|json]`: the history file, printed. */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../../errors";
import { readHistory } from "../../history";
import { choiceFlag, parseFlags, requireFlag, stringFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { renderTrendCsv, renderTrendJson, renderTrendTable, TREND_FORMATS } from "../trend-output";

export const TREND_FLAGS = { history: { type: "string" }, rule: { type: "string" }, output: { type: "string" }, format: { type: "string" } } as const;

export async function trendCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("trend", argv, TREND_FLAGS);
  const file = requireFlag("trend", flags, "history");
  // --output names what goes to stdout in every command; --format (files in `check`) is this command's old spelling.
  if (stringFlag(flags, "output") !== undefined && stringFlag(flags, "format") !== undefined) {
    throw new AvHealthError(ErrorCodes.USAGE, "give --output (or its old spelling --format), not both");
  }
  const format = stringFlag(flags, "output") !== undefined ? choiceFlag("trend", flags, "output", TREND_FORMATS, "table") : choiceFlag("trend", flags, "format", TREND_FORMATS, "table");
  const rule = stringFlag(flags, "rule");
  const absolute = path.resolve(io.cwd, file);
  // check --history creates the file; trend only reads one, so a wrong path should not look like an empty history.
  const stat = await fs.stat(absolute).catch(() => null);
  if (stat === null) {
    throw new AvHealthError(ErrorCodes.USAGE, `--history ${file}: no such file; \`avhealth check --history ${file}\` writes one`);
  }
  if (!stat.isFile()) throw new AvHealthError(ErrorCodes.USAGE, `--history ${file}: is not a file`);
  const { entries, warnings } = await readHistory(absolute, file);
  for (const warning of warnings) line(io.stderr, `warning: ${warning}`);
  if (rule !== undefined && !entries.some((e) => e.rules[rule] !== undefined)) {
    const known = [...new Set(entries.flatMap((e) => Object.keys(e.rules)))];
    throw new AvHealthError(
      ErrorCodes.USAGE,
      `rule "${rule}" is not in ${file}${known.length === 0 ? " (it has no entries)" : `; its rules are ${known.join(", ")}`}`,
    );
  }
  if (format === "csv") io.stdout.write(renderTrendCsv(entries, rule));
  else if (format === "json") io.stdout.write(renderTrendJson(entries, rule));
  else line(io.stdout, renderTrendTable(entries, io.stdoutIsTTY, rule));
  line(io.stderr, `${entries.length} evaluation${entries.length === 1 ? "" : "s"} in ${file}`);
  return ExitCode.OK;
}
