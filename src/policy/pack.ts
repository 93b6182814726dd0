/**
 * The avhealth policy pack is composition: load the rule file once, up front, and declare one policy per rule,
 * then the reports policy. A rule file that cannot be loaded still yields a pack (one mandatory policy that
 * reports the located load errors), because a pack that fails to start gives the user a far worse message.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicyPack, type Policies } from "@pulumi/policy";
import { defaultCacheDir } from "../cache";
import { ErrorCodes, isAvHealthError } from "../errors";
import type { CompiledRuleSet } from "../rules/types";
import { stackConfigFromEnv } from "../config/stack-config";
import { decideGateSource } from "../trust";
import { redact } from "../util/redact";
import { packBaseline } from "./baseline";
import { StackEvaluator } from "./evaluation";
import { resolveFleetSource } from "./fleetSource";
import type { FleetPlan } from "./fleets";
import { createOwnSnapshotTaker } from "./ownSnapshot";
import { createSignedSnapshotTaker } from "./signedSnapshot";
import { createPinnedSnapshotTaker } from "./pinnedSnapshot";
import { PackFiles } from "./protect";
import { RULES_INVALID_POLICY_NAME, reportsPolicy, rulePolicy, rulesInvalidPolicy } from "./policies";
import { findProjectRoot } from "./projectRoot";
import { REPORTS_POLICY_NAME, type WrittenReports } from "./reports";
import { resolveRulesFile, type RulesFileChoice } from "./rulesFile";
import type { AvHealthPolicyPackOptions, PolicyEngine } from "./types";

export interface AvHealthPolicies {
  policies: Policies;
  rulesFile: RulesFileChoice;
  /** The loaded rules, or undefined when the file could not be loaded (then policies hold the invalid-rules policy). */
  rules: CompiledRuleSet | undefined;
  projectRoot: string;
}

const RESERVED = new Set([REPORTS_POLICY_NAME, RULES_INVALID_POLICY_NAME, "all"]);

export async function buildAvHealthPolicies(options: AvHealthPolicyPackOptions): Promise<AvHealthPolicies> {
  const env = options.env ?? process.env;
  const engine = options.engine ?? (await loadDefaultEngine());
  const clock = options.clock ?? (() => new Date());
  const packDir = path.resolve(options.packDir);
  const rulesFile = resolveRulesFile(packDir, env, options.rulesFile);
  const projectRoot = findProjectRoot(packDir, env).dir;
  const display = (file: string) => displayPath(file, projectRoot);

  // The entrance: the pack's own rule file decides which rules apply and, when it pins the fleet, where the
  // fleet comes from and whom to trust, before anything else is read or fetched.
  const chosen = await chooseRules(engine, packDir, options.rulesFile, rulesFile);
  if (chosen.kind === "invalid") {
    return { policies: [rulesInvalidPolicy(display(chosen.file), chosen.problems)], rulesFile, rules: undefined, projectRoot };
  }
  const { rules } = chosen;
  const reserved = rules.rules.filter((rule) => RESERVED.has(rule.id));
  if (reserved.length > 0) {
    const problems = reserved.map((rule) => `rule id "${rule.id}" is reserved by the avhealth policy pack: rename the rule`);
    return { policies: [rulesInvalidPolicy(display(chosen.file), problems)], rulesFile, rules: undefined, projectRoot };
  }

  const rulesPath = chosen.file;
  const rulesShown = display(rulesPath);
  const source = decideGateSource(rules.settings.fleet, env, stackConfigFromEnv(env));
  const isPinned = source.kind !== "stack";
  const cacheDir = defaultCacheDir(env);
  const plan: FleetPlan = {
    source: resolveFleetSource(env),
    gate: source,
    refusal: chosen.refusal,
    takeOwnSnapshot:
      source.kind === "signed"
        ? createSignedSnapshotTaker({ pins: source.pins, env, cacheDir, ca: source.pins.caCertificates, log: logLine, clock })
        : source.kind === "pinned-fetch"
          ? createPinnedSnapshotTaker({ env, source, fetchSnapshot: options.fetchSnapshot, log: logLine, clock })
          : createOwnSnapshotTaker({ env, cacheDir, fetchSnapshot: options.fetchSnapshot, log: logLine, clock }),
  };
  // Nothing the pack writes may replace or append to one of its own files (its rule file above all).
  const protectedFiles = await PackFiles.of(packDir, [rulesPath, ...(rules.settings.fleet?.caFiles ?? [])]);
  // A pinned rule file alone names the baseline: the gated stack must not choose what it is compared with.
  const baseline = packBaseline({ env, projectRoot, rules, rulesFile: rulesPath, pinned: isPinned, warn: logLine, display });
  const evaluator = new StackEvaluator(engine, rules, rulesShown, cacheDir, clock, plan, baseline);
  const policies: Policies = [
    ...rules.rules.map((rule) => rulePolicy(rule, { evaluator, rules, rulesFile: rulesShown })),
    reportsPolicy({
      evaluator,
      engine,
      env,
      projectRoot,
      protectedFiles,
      ruleFileHistory: { history: rules.settings.history ?? undefined, dir: path.dirname(rulesPath), pinned: isPinned },
      onWritten: logWritten,
    }),
  ];
  return { policies, rulesFile, rules, projectRoot };
}

type RulesChoice =
  | { kind: "loaded"; file: string; rules: CompiledRuleSet; refusal: string | null }
  | { kind: "invalid"; file: string; problems: string[] };

/**
 * The rules that apply. The pack's own rule file, when it exists, is loaded first: if it does not load the pack
 * fails closed with its errors (never falling back to a file the stack names), and if it pins the fleet a file
 * named by the stack is refused. Otherwise the stack's choice (AVHEALTH_RULES_FILE, avhealth:rulesFile) applies.
 */
async function chooseRules(engine: PolicyEngine, packDir: string, defaultFile: string | undefined, chosen: RulesFileChoice): Promise<RulesChoice> {
  const own = resolveRulesFile(packDir, {}, defaultFile);
  const load = async (choice: RulesFileChoice): Promise<RulesChoice> => {
    try {
      return { kind: "loaded", file: choice.path, rules: await engine.loadRules(choice.path), refusal: null };
    } catch (error) {
      return { kind: "invalid", file: choice.path, problems: loadProblems(error, choice) };
    }
  };
  if (own.path === chosen.path || !fs.existsSync(own.path)) return load(chosen);
  const ownRules = await load(own);
  if (ownRules.kind === "invalid") {
    ownRules.problems.push(`${chosen.source} names ${chosen.path}; it is not used instead: the pack's own rule file must load`);
    return ownRules;
  }
  if (ownRules.rules.settings.fleet === null) return load(chosen);
  return {
    ...ownRules,
    refusal:
      `${chosen.source} names the rule file ${chosen.path}, but the pack's own rule file pins the fleet (settings.fleet), ` +
      `so it cannot be replaced by the stack [${ErrorCodes.FLEET_PIN_MISMATCH}]. Unset ${chosen.source}`,
  };
}

/**
 * Builds the pack and starts serving it. A pack's entry file is one call:
 * `createAvHealthPolicyPack({ packDir: __dirname })`.
 */
export async function createAvHealthPolicyPack(options: AvHealthPolicyPackOptions): Promise<PolicyPack> {
  const { policies } = await buildAvHealthPolicies(options);
  return new PolicyPack(options.name ?? "avhealth", { policies });
}

function loadProblems(error: unknown, rulesFile: RulesFileChoice): string[] {
  if (isAvHealthError(error)) {
    const problems = error.details.problems;
    if (Array.isArray(problems) && problems.length > 0) return problems.map((problem) => redact(locatedProblem(problem)));
    if ((error.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return [missingFile(rulesFile)];
    return [redact(`${error.message} [${error.code}]`)];
  }
  if ((error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return [missingFile(rulesFile)];
  return [redact(error instanceof Error ? error.message : String(error))];
}

/** `file:line:col path: message`, as the rules loader reports each problem (details.problems holds objects). */
function locatedProblem(problem: unknown): string {
  if (typeof problem !== "object" || problem === null) return String(problem);
  const p = problem as Record<string, unknown>;
  return `${String(p.file)}:${String(p.line)}:${String(p.col)} ${String(p.path)}: ${String(p.message)}`;
}

function missingFile(rulesFile: RulesFileChoice): string {
  const how =
    rulesFile.source === "pack default"
      ? "create it (`avhealth init-pack` writes a starter), or name another file with AVHEALTH_RULES_FILE or `pulumi config set avhealth:rulesFile PATH`"
      : `fix ${rulesFile.source}, which names it`;
  return `${rulesFile.path} does not exist: ${how}`;
}

function displayPath(file: string, root: string): string {
  const relative = path.relative(root, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

// stderr: a policy pack's stdout carries its port for the engine and nothing else.
function logLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

function logWritten(written: WrittenReports[], notes: readonly string[]): void {
  for (const note of notes) logLine(`avhealth: ${note}`);
  for (const entry of written) logLine(`avhealth: reports for ${entry.fleet} written to ${entry.dir}`);
}

async function loadDefaultEngine(): Promise<PolicyEngine> {
  const { defaultPolicyEngine } = await import("./engine");
  return defaultPolicyEngine();
}
