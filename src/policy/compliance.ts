/**
 * complianceByRule(): the pack's evaluation as plain data, for a program that wants per-rule compliance as a
 * stack output (the repository's root program does). Same rule file choice, same snapshot lookup, same engine.
 */
import * as path from "node:path";
import { defaultCacheDir } from "../cache";
import { AvHealthError, ErrorCodes } from "../errors";
import type { Enforcement, RuleStatus } from "../report-model/types";
import { locateSnapshot } from "./evaluation";
import { resolveRulesFile } from "./rulesFile";
import type { Env, PolicyEngine } from "./types";

export interface RuleCompliance {
  status: RuleStatus;
  /** Two decimals, as in the reports. */
  percent: number;
  enforcement: Enforcement;
  counted: number;
  failing: number;
}

export interface ComplianceOptions {
  /** The pack directory whose rule file applies (AVHEALTH_RULES_FILE and avhealth:rulesFile are honoured). */
  packDir: string;
  /** A DeviceAvHealth resource's `snapshot` output. */
  snapshot: { digest: string; path: string };
  env?: Env;
  now?: Date;
  engine?: PolicyEngine;
}

export async function complianceByRule(options: ComplianceOptions): Promise<Record<string, RuleCompliance>> {
  const env = options.env ?? process.env;
  const engine = options.engine ?? (await import("./engine")).defaultPolicyEngine();
  const rulesFile = resolveRulesFile(path.resolve(options.packDir), env).path;
  const snapshotPath = locateSnapshot(options.snapshot.path, options.snapshot.digest, defaultCacheDir(env));
  if (snapshotPath === undefined) {
    throw new AvHealthError(ErrorCodes.SNAPSHOT_NOT_FOUND, `The snapshot ${options.snapshot.digest} is not on this machine; run where the DeviceAvHealth provider ran.`);
  }
  const rules = await engine.loadRules(rulesFile);
  const snapshot = await engine.openSnapshot(snapshotPath);
  const { report } = await engine.evaluate(rules, snapshot, options.now ?? new Date(), rulesFile);
  const result: Record<string, RuleCompliance> = {};
  for (const rule of report.rules) {
    result[rule.id] = { status: rule.status, percent: rule.percent, enforcement: rule.enforcement, counted: rule.counts.counted, failing: rule.counts.failing };
  }
  return result;
}
