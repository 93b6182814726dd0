/**
 * `check --policy-config FILE`: the JSON that `pulumi preview --policy-pack-config FILE` gives the policy pack,
 * applied to the rule set before evaluation, so the CLI and the pack gate alike. Keys are rule ids (the pack's
 * policy names) or "all"; a value is an enforcement level or an object with `enforcementLevel` (other keys, such
 * as the reports policy's formats, are the pack's business and left alone here).
 */
import { promises as fs } from "node:fs";
import { AvHealthError, ErrorCodes } from "../errors";
import type { Enforcement } from "../report-model/types";
import { closest } from "../rules/compile/suggest";
import type { CompiledRuleSet } from "../rules/types";

const LEVELS: readonly Enforcement[] = ["advisory", "mandatory", "disabled"];
/** Policies of the pack that are not rules: accepted in the file, ignored by the CLI. */
const PACK_POLICIES: ReadonlySet<string> = new Set(["avhealth-reports", "avhealth-rules-invalid"]);

function invalid(file: string, message: string): AvHealthError {
  return new AvHealthError(ErrorCodes.USAGE, `--policy-config ${file}: ${message}`, { details: { file } });
}

function levelOf(file: string, key: string, value: unknown): Enforcement | null {
  const raw = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).enforcementLevel : value;
  if (raw === undefined && typeof value === "object") return null;
  if (typeof raw === "string" && (LEVELS as readonly string[]).includes(raw)) return raw as Enforcement;
  throw invalid(file, `"${key}": the enforcement level must be one of ${LEVELS.join(", ")} (got ${JSON.stringify(raw)})`);
}

/** Rule id → level, from the file's JSON text; unknown rule ids are refused with the closest known one. */
export function parsePolicyConfig(text: string, file: string, ruleIds: readonly string[]): Map<string, Enforcement> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalid(file, 'must be a JSON object such as {"rule-id": "advisory"}');
  }
  const levels = new Map<string, Enforcement>();
  const entries = Object.entries(parsed as Record<string, unknown>);
  const all = entries.find(([key]) => key === "all");
  if (all !== undefined) {
    const level = levelOf(file, "all", all[1]);
    if (level !== null) for (const id of ruleIds) levels.set(id, level);
  }
  for (const [key, value] of entries) {
    if (key === "all" || PACK_POLICIES.has(key)) continue;
    if (!ruleIds.includes(key)) {
      const match = closest(key, ruleIds);
      throw invalid(file, `"${key}" is not a rule of the rule file${match === null ? "" : ` (did you mean "${match}"?)`}; its rules are ${ruleIds.join(", ")}`);
    }
    const level = levelOf(file, key, value);
    if (level !== null) levels.set(key, level);
  }
  return levels;
}

export function relevel(ruleSet: CompiledRuleSet, levels: ReadonlyMap<string, Enforcement>): CompiledRuleSet {
  if (levels.size === 0) return ruleSet;
  return { ...ruleSet, rules: ruleSet.rules.map((rule) => ({ ...rule, enforcement: levels.get(rule.id) ?? rule.enforcement })) };
}

export async function applyPolicyConfig(ruleSet: CompiledRuleSet, absolute: string, shown: string): Promise<CompiledRuleSet> {
  const text = await fs.readFile(absolute, "utf8");
  return relevel(ruleSet, parsePolicyConfig(text, shown, ruleSet.rules.map((rule) => rule.id)));
}
