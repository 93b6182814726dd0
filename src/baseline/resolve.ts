/**
 * Which baseline (or history) file an evaluation uses. Pure, so the precedence is one tested table:
 * - not pinned: the first override that is set (CLI flag, then AVHEALTH_BASELINE, then stack config), else the
 *   rule file's own setting (settings.baseline / settings.history);
 * - pinned (the rule file has settings.fleet, fleet-source.md): only the rule file's setting. The gated stack
 *   must not choose what it is compared with, so overrides are ignored and listed for a warning.
 */
import * as path from "node:path";

export interface PathSource {
  /** How messages name the source, e.g. "--baseline", "AVHEALTH_BASELINE", "avhealth:baseline", "settings.baseline". */
  source: string;
  value: string | undefined;
  /** The directory a relative value is taken from. */
  base: string;
}

export interface ResolvedPath {
  /** Absolute. */
  path: string;
  source: string;
}

export interface PathChoice {
  chosen: ResolvedPath | null;
  /** Overrides that were set but ignored because the rule file pins the fleet. */
  ignored: string[];
}

export function resolveComparisonPath(input: { pinned: boolean; ruleFile: PathSource; overrides: readonly PathSource[] }): PathChoice {
  const set = (candidate: PathSource): boolean => candidate.value !== undefined && candidate.value.trim() !== "";
  const given = input.overrides.filter(set);
  const resolve = (candidate: PathSource): ResolvedPath => ({ path: path.resolve(candidate.base, (candidate.value as string).trim()), source: candidate.source });
  const fromRuleFile = set(input.ruleFile) ? resolve(input.ruleFile) : null;
  if (input.pinned) return { chosen: fromRuleFile, ignored: given.map((candidate) => candidate.source) };
  const first = given[0];
  return { chosen: first !== undefined ? resolve(first) : fromRuleFile, ignored: [] };
}
