import * as path from "node:path";
import { fetchSnapshotWithConfig } from "../../fetch";
import type { MethodChoice } from "../../fetch/types";
import { choiceFlag, parseFlags, stringFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { progressPrinter } from "../progress";
import { renderSummary } from "../summary";

export const METHOD_CHOICES: readonly MethodChoice[] = ["auto", "json", "files"];
export const DEFAULT_SNAPSHOT = "avhealth-snapshot.ndjson.gz";
export const FETCH_FLAGS = { method: { type: "string" }, filter: { type: "string" }, out: { type: "string" } } as const;

export async function fetchCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("fetch", argv, FETCH_FLAGS);
  const method = choiceFlag("fetch", flags, "method", METHOD_CHOICES, "auto");
  const outPath = path.resolve(io.cwd, stringFlag(flags, "out") ?? DEFAULT_SNAPSHOT);
  const result = await fetchWithProgress(io, { method, filter: stringFlag(flags, "filter"), outPath });
  // stdout carries no data here, so the summary goes there.
  line(io.stdout, renderSummary(result.header, result.summary, result.path, io.stdoutIsTTY));
  return result.header.complete ? ExitCode.OK : ExitCode.INCOMPLETE;
}

/** A live fetch with the credentials of the CLI's environment, progress on stderr (quiet: none). */
export function fetchWithProgress(io: CliIo, options: { method: MethodChoice; filter: string | undefined; outPath: string; quiet?: boolean }) {
  const { quiet, ...fetchOptions } = options;
  const progress = quiet === true ? undefined : progressPrinter(io);
  return fetchSnapshotWithConfig({ env: io.env, ...fetchOptions, onProgress: progress?.listener }).finally(() => progress?.end());
}
