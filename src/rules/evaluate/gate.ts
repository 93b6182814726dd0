/**
 * The gate and its exit code (cli-and-reports.md, `avhealth check`). The gate fails closed: a mandatory rule
 * that is fail or indeterminate fails it. When both happen, 1 wins over 3: a rule that definitely failed needs
 * fixing whatever data is missing, while 3 tells the pipeline that retrying the fetch may help.
 * An incomplete snapshot exits 3 even when the gate (which only mandatory rules decide) passes: the CLI contract
 * gives 3 to incomplete data, and a pipeline must never read a run on partial data as a clean pass.
 */
import type { AvHealthReport, RuleResult } from "../../report-model/types";

export function gateOf(rules: readonly RuleResult[]): "pass" | "fail" {
  return rules.some((rule) => rule.enforcement === "mandatory" && (rule.status === "fail" || rule.status === "indeterminate")) ? "fail" : "pass";
}

export function gateExitCode(report: AvHealthReport): 0 | 1 | 3 {
  const mandatory = report.rules.filter((rule) => rule.enforcement === "mandatory");
  if (mandatory.some((rule) => rule.status === "fail")) return 1;
  if (mandatory.some((rule) => rule.status === "indeterminate")) return 3;
  return report.snapshot.complete ? 0 : 3;
}
