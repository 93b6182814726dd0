/**
 * The semantic pass over a parsed rule file: scopes, rules and exceptions are checked against each other and
 * compiled. It runs even when the schema pass found problems (reading defensively), so one run reports every
 * mistake; it returns null whenever any problem was recorded.
 */
import type { Enforcement, Severity } from "../../report-model/types";
import type { Path, ProblemCollector } from "../load/problems";
import { parseDuration, parseTimeValue, TIME_HINT, ValueReaders } from "../operators/values";
import type { CompiledCondition, CompiledException, CompiledRule, CompiledRuleSet, RuleSettings } from "../types";
import type { UnknownMode } from "../load/schema";
import { compileCondition, isPlainMap, type ConditionEnv } from "./condition";
import { compileFleetPins } from "./fleet-pins";
import { didYouMean } from "./suggest";

const DAY_MS = 86_400_000;
/** Marks a scope name that exists but whose selector has problems (already reported). */
const BROKEN = -2;
type Resolved = { ok: true; index: number; name: string | null } | { ok: false };

export function compileRuleSet(value: unknown, file: string, problems: ProblemCollector): CompiledRuleSet | null {
  const env: ConditionEnv = { problems, readers: new ValueReaders() };
  const doc = isPlainMap(value) ? value : {};
  const selectors: CompiledCondition[] = [];
  const named = new Map<string, number>();

  if (isPlainMap(doc.scopes)) {
    for (const [name, selector] of Object.entries(doc.scopes)) {
      // Non-map selectors are reported by the schema pass; reporting them again would say the same thing twice.
      const compiled = isPlainMap(selector) ? compileCondition(selector, ["scopes", name], env) : null;
      named.set(name, compiled === null ? BROKEN : selectors.push(compiled) - 1);
    }
  }

  const resolveScope = (ref: unknown, path: Path, present: boolean): Resolved => {
    if (!present || ref === undefined) return { ok: true, index: -1, name: null };
    if (typeof ref === "string") {
      const index = named.get(ref);
      if (index === undefined) {
        const defined = [...named.keys()];
        const known = defined.length === 0 ? "no scopes are defined; add it under scopes:" : `defined scopes: ${defined.join(", ")}`;
        problems.add(path, `undefined scope "${ref}"${didYouMean(ref, defined)}; ${known}`);
        return { ok: false };
      }
      return index === BROKEN ? { ok: false } : { ok: true, index, name: ref };
    }
    if (ref === null) {
      problems.add(path, "scope is empty; name a scope or write a selector map, or remove the key");
      return { ok: false };
    }
    if (!isPlainMap(ref)) return { ok: false };
    const compiled = compileCondition(ref, path, env);
    return compiled === null ? { ok: false } : { ok: true, index: selectors.push(compiled) - 1, name: null };
  };

  const settings = readSettings(doc.settings, file, problems);
  const rules = compileRules(doc.rules, problems, env, resolveScope);
  const ruleIds = new Set(rules.map((rule) => rule.id));
  const exceptions = compileExceptions(doc.exceptions, ruleIds, problems, resolveScope);
  if (problems.size > 0) return null;
  return { file, settings, rules, exceptions, selectors };
}

function readSettings(raw: unknown, file: string, problems: ProblemCollector): RuleSettings {
  const settings = isPlainMap(raw) ? raw : {};
  const staleAfter = typeof settings.staleAfter === "string" ? settings.staleAfter : "7d";
  const unknown = settings.unknown === "pass" || settings.unknown === "exclude" ? settings.unknown : ("fail" as UnknownMode);
  const minDevices = typeof settings.minDevices === "number" ? settings.minDevices : 1;
  const fleet = isPlainMap(settings.fleet) ? compileFleetPins(settings.fleet, file, problems) : null;
  const baseline = typeof settings.baseline === "string" && settings.baseline !== "" ? settings.baseline : null;
  const history = typeof settings.history === "string" && settings.history !== "" ? settings.history : null;
  return { staleAfter, staleAfterMs: parseDuration(staleAfter) ?? 7 * DAY_MS, unknown, minDevices, fleet, baseline, history };
}

type ScopeResolver = (ref: unknown, path: Path, present: boolean) => Resolved;

function compileRules(raw: unknown, problems: ProblemCollector, env: ConditionEnv, resolveScope: ScopeResolver): CompiledRule[] {
  const rules: CompiledRule[] = [];
  const firstIndex = new Map<string, number>();
  (Array.isArray(raw) ? raw : []).forEach((rule: unknown, i) => {
    if (!isPlainMap(rule)) return;
    const id = typeof rule.id === "string" ? rule.id : "";
    const earlier = firstIndex.get(id);
    if (id !== "" && earlier !== undefined) problems.add(["rules", i, "id"], `duplicate rule id "${id}" (also rules[${earlier}]); rule ids must be unique`);
    else firstIndex.set(id, i);
    const description = typeof rule.description === "string" ? rule.description : "";
    if (typeof rule.description === "string" && description.trim() === "" && description !== "") problems.add(["rules", i, "description"], "must not be blank");
    const scope = resolveScope(rule.scope, ["rules", i, "scope"], "scope" in rule);
    const require = isPlainMap(rule.require) ? compileCondition(rule.require, ["rules", i, "require"], env) : null;
    const threshold = isPlainMap(rule.threshold) ? rule.threshold : {};
    const regression = isPlainMap(rule.regression) ? rule.regression : {};
    if (!scope.ok || require === null) return;
    const start = problems.position(["rules", i]);
    rules.push({
      id,
      description,
      severity: (rule.severity ?? "medium") as Severity,
      enforcement: (rule.enforcement ?? "advisory") as Enforcement,
      threshold: {
        minPercent: typeof threshold.minPercent === "number" ? threshold.minPercent : 100,
        maxFailing: typeof threshold.maxFailing === "number" ? threshold.maxFailing : null,
      },
      regression: {
        maxPercentDrop: typeof regression.maxPercentDrop === "number" ? regression.maxPercentDrop : null,
        maxNewlyFailing: typeof regression.maxNewlyFailing === "number" ? regression.maxNewlyFailing : null,
        ratchet: regression.ratchet === true,
      },
      scopeName: scope.name,
      location: { line: start.line, column: start.col },
      scopeIndex: scope.index,
      require,
    });
  });
  return rules;
}

function compileExceptions(raw: unknown, ruleIds: ReadonlySet<string>, problems: ProblemCollector, resolveScope: ScopeResolver): CompiledException[] {
  const exceptions: CompiledException[] = [];
  (Array.isArray(raw) ? raw : []).forEach((entry: unknown, i) => {
    if (!isPlainMap(entry)) return;
    const path = ["exceptions", i];
    let ok = true;
    const rule = typeof entry.rule === "string" ? entry.rule : null;
    if (rule !== null && rule !== "" && rule !== "*" && !ruleIds.has(rule)) {
      problems.add([...path, "rule"], `unknown rule "${rule}"${didYouMean(rule, [...ruleIds])}; use a rule id from this file or "*" for every rule`);
      ok = false;
    }
    const devices = Array.isArray(entry.devices) ? entry.devices.filter((d): d is string => typeof d === "string") : [];
    const hasScope = entry.scope !== undefined && entry.scope !== null;
    if (devices.length === 0 && !hasScope) {
      problems.add(path, "an exception needs devices (names or machine ids), a scope, or both");
      ok = false;
    }
    const scope = resolveScope(entry.scope, [...path, "scope"], "scope" in entry);
    const expires = typeof entry.expires === "string" ? entry.expires : null;
    const parsed = expires === null ? null : parseTimeValue(expires);
    if (expires !== null && expires !== "" && parsed === null) {
      problems.add([...path, "expires"], `expires ${JSON.stringify(expires)} is not a valid date; ${TIME_HINT}`);
      ok = false;
    }
    const reason = typeof entry.reason === "string" ? entry.reason : "";
    if (typeof entry.reason === "string" && reason !== "" && reason.trim() === "") problems.add([...path, "reason"], "must not be blank: say why the devices are waived");
    if (!ok || !scope.ok || rule === null || expires === null || parsed === null) return;
    exceptions.push({
      rule,
      reason,
      expires,
      expiresAtMs: parsed.isDate ? parsed.startMs + DAY_MS - 1 : parsed.startMs,
      ticket: typeof entry.ticket === "string" ? entry.ticket : null,
      devices: new Set(devices.map((d) => d.toLowerCase())),
      scopeIndex: scope.index,
    });
  });
  return exceptions;
}
