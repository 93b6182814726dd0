import * as path from "node:path";
import { fetchSnapshotWithConfig } from "../../fetch";
import type { MethodChoice } from "../../fetch/types";
import { choiceFlag, parseFlags, stringFlag } from "../args";
import { ExitCode } from "../exit-codes";
import { line, type CliIo } from "../io";
import { endProgress, progressPrinter } from "../progress";
import { renderSummary } from "../summary";

export const METHOD_CHOICES: readonly MethodChoice[] = ["auto", "json", "files"];
export const DEFAULT_SNAPSHOT = "avhealth-snapshot.ndjson.gz";

export async function fetchCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags("fetch", argv, { method: { type: "string" }, filter: { type: "string" }, out: { type: "string" } });
  const method = choiceFlag("fetch", flags, "method", METHOD_CHOICES, "auto");
  const outPath = path.resolve(io.cwd, stringFlag(flags, "out") ?? DEFAULT_SNAPSHOT);
  const result = await fetchSnapshotWithConfig({
    env: io.env,
    method,
    filter: stringFlag(flags, "filter"),
    outPath,
    onProgress: progressPrinter(io),
  }).finally(() => endProgress(io));
  // stdout carries no data here, so the summary goes there.
  line(io.stdout, renderSummary(result.header, result.summary, result.path, io.stdoutIsTTY));
  return result.header.complete ? ExitCode.OK : ExitCode.INCOMPLETE;
}
