/**
 * Where the policy pack keeps the history. Pure: the caller reads the sources (the rule file's
 * `settings.history`, AVHEALTH_HISTORY, stack config `avhealth:history`) and says whether the rule file pins
 * the fleet. When it does, only the rule file may name the history: the gated stack must not choose what its
 * trend is compared with (docs/rules.md, "Regression").
 */
import * as path from "node:path";

export type HistorySource = "settings.history" | "AVHEALTH_HISTORY" | "avhealth:history";

export interface HistoryPathSources {
  /** The rule file sets `settings.fleet`. */
  pinned: boolean;
  /** `settings.history` as written, taken relative to the rule file's directory `ruleFileDir`. */
  ruleFile: string | undefined;
  ruleFileDir: string;
  env: string | undefined;
  stackConfig: string | undefined;
  /** AVHEALTH_HISTORY and `avhealth:history` are relative to the Pulumi project's directory. */
  projectRoot: string;
}

export interface HistoryPathChoice {
  /** Absolute; null when no source names a history (nothing is recorded). */
  path: string | null;
  source: HistorySource | null;
  /** Sources that were set but do not count because the rule file pins the fleet, for a message. */
  ignored: HistorySource[];
}

const given = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value.trim());

export function resolveHistoryPath(sources: HistoryPathSources): HistoryPathChoice {
  const ruleFile = given(sources.ruleFile);
  const env = given(sources.env);
  const stackConfig = given(sources.stackConfig);
  const fromRuleFile = ruleFile === undefined ? null : path.resolve(sources.ruleFileDir, ruleFile);
  if (sources.pinned) {
    const ignored: HistorySource[] = [];
    if (env !== undefined) ignored.push("AVHEALTH_HISTORY");
    if (stackConfig !== undefined) ignored.push("avhealth:history");
    return { path: fromRuleFile, source: fromRuleFile === null ? null : "settings.history", ignored };
  }
  if (env !== undefined) return { path: path.resolve(sources.projectRoot, env), source: "AVHEALTH_HISTORY", ignored: [] };
  if (stackConfig !== undefined) return { path: path.resolve(sources.projectRoot, stackConfig), source: "avhealth:history", ignored: [] };
  // Unpinned, the rule file's own choice is the last resort: the stack's settings override it.
  return { path: fromRuleFile, source: fromRuleFile === null ? null : "settings.history", ignored: [] };
}
