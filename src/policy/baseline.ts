/**
 * The pack's baseline (baselines.md): AVHEALTH_BASELINE, then stack config `avhealth:baseline` (both relative to
 * the project root), else the rule file's settings.baseline (relative to the rule file). When the rule file pins
 * the fleet, only settings.baseline counts: the gated stack must not choose what it is compared with.
 * Loaded once, on the first evaluation; a baseline that cannot be used becomes a problem that fails every
 * rule closed, with the loader's message and where the path came from.
 */
import * as path from "node:path";
import { loadBaseline, resolveComparisonPath, type Baseline } from "../baseline";
import { isAvHealthError } from "../errors";
import type { RuleResult } from "../report-model/types";
import type { CompiledRuleSet } from "../rules/types";
import { redact } from "../util/redact";
import { stackConfigFromEnv } from "../config/stack-config";
import type { Env } from "./types";

export type PackBaselineState = { kind: "none" } | { kind: "loaded"; baseline: Baseline } | { kind: "error"; message: string };

export interface PackBaselineOptions {
  env: Env;
  projectRoot: string;
  rules: CompiledRuleSet;
  /** The rule file's absolute path: settings.baseline is relative to its directory. */
  rulesFile: string;
  /** True when the rule file pins the fleet (settings.fleet). */
  pinned: boolean;
  /** Told when an override is ignored because the fleet is pinned. */
  warn?: (message: string) => void;
  /** How messages and the report name the file (the pack: relative to the project when inside it). */
  display?: (file: string) => string;
}

/** Returns a loader to hand to StackEvaluator: the first call reads the file, later calls share the result. */
export function packBaseline(options: PackBaselineOptions): () => Promise<PackBaselineState> {
  let loading: Promise<PackBaselineState> | undefined;
  return () => (loading ??= load(options));
}

async function load(options: PackBaselineOptions): Promise<PackBaselineState> {
  const { env, projectRoot } = options;
  const choice = resolveComparisonPath({
    pinned: options.pinned,
    ruleFile: { source: "settings.baseline", value: options.rules.settings.baseline ?? undefined, base: path.dirname(options.rulesFile) },
    overrides: [
      { source: "AVHEALTH_BASELINE", value: env.AVHEALTH_BASELINE, base: projectRoot },
      { source: "avhealth:baseline", value: stackConfigFromEnv(env).get("avhealth:baseline"), base: projectRoot },
    ],
  });
  for (const source of choice.ignored) {
    options.warn?.(`avhealth: ${source} is ignored: the rule file pins the fleet (settings.fleet), so only its settings.baseline names a baseline`);
  }
  if (choice.chosen === null) return { kind: "none" };
  const shown = options.display?.(choice.chosen.path) ?? choice.chosen.path;
  try {
    return { kind: "loaded", baseline: await loadBaseline(choice.chosen.path, shown) };
  } catch (error) {
    const detail = isAvHealthError(error) ? `${error.message} (named by ${choice.chosen.source}) [${error.code}]` : String(error);
    return { kind: "error", message: redact(detail) };
  }
}

/** For a violation message: why a rule failed on regression (its threshold alone may hold), or "". */
export function regressionSentence(rule: RuleResult): string {
  return rule.comparison?.regressed === true && rule.baselineNote !== null ? ` It ${rule.baselineNote}.` : "";
}
