/**
 * The pack's history: AVHEALTH_HISTORY, then stack config `avhealth:history` (both relative to the project
 * root), or the rule file's `settings.history` when the caller passes it (the only source when the rule file
 * pins the fleet). Each evaluated fleet's result is appended before the reports are written, so the reports
 * chart it. A history that cannot be read or written never fails the deployment: the reports are written
 * without the trend and stderr says why (the gate is the rule policies' job, and they have already run).
 */
import * as path from "node:path";
import { appendHistory, historyEntry, resolveHistoryPath, type HistoryPathChoice } from "../history";
import { isAvHealthError } from "../errors";
import type { EvaluationResult } from "../report-model/types";
import { redact } from "../util/redact";
import { stackConfigFromEnv } from "../config/stack-config";
import { fleetFileName } from "./fleet-file-name";
import type { PackFiles } from "./protect";
import type { Env } from "./types";

/** The rule file's say, once the rule schema has `settings.history` and `settings.fleet`. */
export interface RuleFileHistory {
  history: string | undefined;
  /** The rule file's directory: settings.history is relative to it. */
  dir: string;
  pinned: boolean;
}

export function stackHistoryChoice(env: Env, projectRoot: string, ruleFile?: RuleFileHistory): HistoryPathChoice {
  return resolveHistoryPath({
    pinned: ruleFile?.pinned ?? false,
    ruleFile: ruleFile?.history,
    ruleFileDir: ruleFile?.dir ?? projectRoot,
    env: env.AVHEALTH_HISTORY,
    stackConfig: stackConfigFromEnv(env).get("avhealth:history"),
    projectRoot,
  });
}

/** With several fleets in one stack each keeps its own file: history.jsonl → history.<fleet>.jsonl. */
export function fleetHistoryPath(file: string, fleet: string | null): string {
  if (fleet === null) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${fleetFileName(fleet)}${ext}`;
}

export type Log = (line: string) => void;

/** The result with the history attached, after appending this evaluation; unchanged when no history is set. */
export async function withStackHistory(
  result: EvaluationResult,
  choice: HistoryPathChoice,
  fleet: string | null,
  log: Log,
  protectedFiles?: PackFiles,
): Promise<EvaluationResult> {
  for (const source of choice.ignored) log(`avhealth: ${source} is ignored: the rule file pins the fleet, so only its settings.history names the history`);
  if (choice.path === null) return result;
  const file = fleetHistoryPath(choice.path, fleet);
  const refusal = await protectedFiles?.refusal(file);
  if (refusal !== undefined) {
    log(`avhealth: history not recorded, reports written without the trend: ${refusal}`);
    return result;
  }
  try {
    const recorded = await appendHistory(file, historyEntry(result.report));
    for (const warning of recorded.warnings) log(`avhealth: warning: ${warning}`);
    return { ...result, history: recorded.entries };
  } catch (error) {
    const detail = isAvHealthError(error) ? `${error.message} [${error.code}]` : error instanceof Error ? error.message : String(error);
    log(redact(`avhealth: history not recorded, reports written without the trend: ${detail}`));
    return result;
  }
}
