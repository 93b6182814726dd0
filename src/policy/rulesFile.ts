/**
 * Which rule file the pack evaluates. Pulumi sends policy config only after the pack has declared its policies,
 * and the policies come from the rule file, so the file is chosen from what exists at construction:
 * AVHEALTH_RULES_FILE, then stack config `avhealth:rulesFile`, then the pack's default (compliance.yaml).
 */
import * as path from "node:path";
import { stackConfigFromEnv } from "../config/stack-config";
import type { Env } from "./types";

export interface RulesFileChoice {
  /** Absolute path. */
  path: string;
  /** Where the choice came from, for messages. */
  source: "AVHEALTH_RULES_FILE" | "avhealth:rulesFile" | "pack default";
}

export function resolveRulesFile(packDir: string, env: Env, defaultFile = "compliance.yaml"): RulesFileChoice {
  const fromEnv = env.AVHEALTH_RULES_FILE?.trim();
  if (fromEnv) return { path: path.resolve(packDir, fromEnv), source: "AVHEALTH_RULES_FILE" };
  const fromConfig = stackConfigFromEnv(env).get("avhealth:rulesFile")?.trim();
  if (fromConfig) return { path: path.resolve(packDir, fromConfig), source: "avhealth:rulesFile" };
  return { path: path.resolve(packDir, defaultFile), source: "pack default" };
}
