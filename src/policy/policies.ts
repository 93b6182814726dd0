/**
 * The pack's policies, one factory each: a StackValidationPolicy per rule (named by the rule id, with the rule's
 * enforcement and severity, so `--policy-pack-config` re-levels a rule by id), the reports policy, and the single
 * mandatory policy that stands in for the rules when the rule file cannot be loaded.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import type { CompiledRule, CompiledRuleSet } from "../rules/types";
import type { StackEvaluator } from "./evaluation";
import { fleetProblemViolation, noFleetViolation, ruleViolation } from "./messages";
import { REPORTS_CONFIG_SCHEMA, REPORTS_POLICY_NAME, reportSettings, writeStackReports, type ReportsConfig, type WrittenReports } from "./reports";
import type { RuleFileHistory } from "./history";
import type { PackFiles } from "./protect";
import type { Env, PolicyEngine } from "./types";

export const RULES_INVALID_POLICY_NAME = "avhealth-rules-invalid";

export interface RulePolicyContext {
  evaluator: StackEvaluator;
  rules: CompiledRuleSet;
  /** As shown in messages. */
  rulesFile: string;
}

export function rulePolicy(rule: CompiledRule, context: RulePolicyContext): StackValidationPolicy {
  return {
    name: rule.id,
    description: rule.description,
    enforcementLevel: rule.enforcement,
    severity: rule.severity,
    remediationSteps: `See the compliance report (avhealth-reports/avhealth-report.md) for every failing device of ${rule.id}.`,
    validateStack: async (args, reportViolation) => {
      const stack = await context.evaluator.evaluateStack(args.resources);
      if (stack.kind === "none") {
        reportViolation(noFleetViolation(rule.id));
        return;
      }
      for (const evaluation of stack.evaluations) {
        if (evaluation.kind === "problem") {
          reportViolation(fleetProblemViolation(evaluation.ref, rule.id, evaluation.problem), evaluation.ref.urn);
          continue;
        }
        const { report } = evaluation.result;
        const result = report.rules.find((candidate) => candidate.id === rule.id);
        if (result === undefined) {
          reportViolation(fleetProblemViolation(evaluation.ref, rule.id, "the evaluation returned no result for this rule"), evaluation.ref.urn);
          continue;
        }
        const message = ruleViolation(evaluation.ref, result, report, {
          rulesFile: context.rulesFile,
          minDevices: context.rules.settings.minDevices,
          incompleteReasons: evaluation.ref.snapshot.incompleteReasons,
        });
        if (message !== undefined) reportViolation(message, evaluation.ref.urn);
      }
    },
  };
}

export interface ReportsPolicyContext {
  evaluator: StackEvaluator;
  engine: PolicyEngine;
  env: Env;
  projectRoot: string;
  /** The pack's own files: no report, step summary or history may replace or append to them. */
  protectedFiles?: PackFiles;
  /** The rule file's settings.history, and whether the file pins the fleet (then nothing else names the history). */
  ruleFileHistory?: RuleFileHistory;
  /** Told about every write and the notes on the fleet choice, e.g. to log where the reports are. */
  onWritten?: (written: WrittenReports[], notes: readonly string[]) => void;
}

/**
 * Writes the reports; never reports a violation itself (the rule policies do). Declared after the rule policies,
 * so it runs last and can forget the shared evaluation once the files are written.
 */
export function reportsPolicy(context: ReportsPolicyContext): StackValidationPolicy {
  return {
    name: REPORTS_POLICY_NAME,
    description: "Writes the Defender antivirus health compliance reports (JSON, Markdown, ...) on every preview and update",
    enforcementLevel: "advisory",
    configSchema: { properties: { ...REPORTS_CONFIG_SCHEMA.properties } as Record<string, object> },
    validateStack: async (args) => {
      try {
        const stack = await context.evaluator.evaluateStack(args.resources);
        if (stack.kind === "none") return;
        const settings = reportSettings(args.getConfig<ReportsConfig>(), context.projectRoot, context.env, context.ruleFileHistory);
        const written = await writeStackReports(context.engine, stack, settings, context.env, context.protectedFiles);
        context.onWritten?.(written, stack.notes);
      } finally {
        context.evaluator.forget();
      }
    },
  };
}

/** Stands in for the rules when the file is invalid or missing: the pack still starts, and the preview fails. */
export function rulesInvalidPolicy(rulesFile: string, problems: readonly string[]): StackValidationPolicy {
  const listed = problems.map((problem) => `  ${problem}`).join("\n");
  return {
    name: RULES_INVALID_POLICY_NAME,
    description: "The avhealth rule file must load without errors",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateStack: (_args, reportViolation) => {
      reportViolation(
        `the rule file ${rulesFile} cannot be used, so no rule can be evaluated (the gate fails closed):\n${listed}\n` +
          `Fix the file (check it with \`avhealth validate --rules ${rulesFile}\`) and run the preview again.`,
      );
    },
  };
}
