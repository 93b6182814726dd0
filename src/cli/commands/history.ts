/** `check --history FILE`: append this evaluation to the history and hand the whole history to the reports. */
import * as path from "node:path";
import { appendHistory, historyEntry } from "../../history";
import type { EvaluationResult } from "../../report-model/types";
import { line, type CliIo } from "../io";

export async function recordHistory(io: CliIo, file: string, result: EvaluationResult, quiet = false): Promise<EvaluationResult> {
  const absolute = path.resolve(io.cwd, file);
  const shown = path.relative(io.cwd, absolute) || absolute;
  const recorded = await appendHistory(absolute, historyEntry(result.report), shown);
  for (const warning of recorded.warnings) line(io.stderr, `warning: ${warning}`);
  if (!quiet) line(io.stderr, recorded.appended ? `history: appended to ${shown}` : `history: ${shown} already ends with this evaluation; not appended`);
  return { ...result, history: recorded.entries };
}
