/**
 * How every format states a rule's change since the baseline (baselines.md "In the reports"): the same delta
 * wording and counts in Markdown, HTML, JUnit and SARIF messages. Deterministic, like summary.ts.
 */
import type { RuleComparison, RuleResult } from "../report-model/types";
import { formatCount } from "./summary";

/** A percent delta in points with its sign: "+1.25", "−0.50", "±0.00" (unrounded input, two decimals shown). */
export function formatDelta(delta: number): string {
  const shown = Math.abs(delta).toFixed(2);
  if (shown === "0.00") return "±0.00";
  return `${delta > 0 ? "+" : "−"}${shown}`;
}

/** "3 newly failing, 2 fixed, 0 waived, 1 left". */
export function changeCounts(c: RuleComparison): string {
  return `${formatCount(c.newlyFailing.length)} newly failing, ${formatCount(c.fixed.length)} fixed, ${formatCount(c.waived.length)} waived, ${formatCount(c.left.length)} left`;
}

/** One sentence for a rule's comparison, or its note when it was not compared; "" without a baseline. */
export function changeSentence(rule: RuleResult): string {
  const c = rule.comparison;
  const note = rule.baselineNote === null ? "" : ` (${rule.baselineNote})`;
  if (c === null) return rule.baselineNote === null ? "" : `Baseline: ${rule.baselineNote}.`;
  return `Since the baseline (${c.baselineStatus}, ${c.baselinePercent.toFixed(2)}%): ${formatDelta(c.percentDelta)} points, ${changeCounts(c)}${note}.`;
}

/** The rules a "Changes since the baseline" section lists: every evaluated rule, compared or with a note. */
export function changedRules(rules: readonly RuleResult[]): RuleResult[] {
  return rules.filter((rule) => rule.comparison !== null || rule.baselineNote !== null);
}

export type SarifBaselineState = "new" | "unchanged" | "updated" | "absent";

/**
 * SARIF's baselineState for a rule's result, or undefined when the report has no baseline (SARIF: the property
 * is only present when the run was compared). A failing or indeterminate rule with nothing to match in the
 * baseline (not compared, or passing there) is "new"; compared with a failing baseline it is "unchanged" when
 * the percent as reported and the failing devices are the same, else "updated". A rule that passes now and
 * failed in the baseline is "absent".
 */
export function sarifBaselineState(hasBaseline: boolean, rule: RuleResult): SarifBaselineState | undefined {
  if (!hasBaseline) return undefined;
  const c = rule.comparison;
  if (rule.status === "pass") return c !== null && c.baselineStatus === "fail" ? "absent" : undefined;
  if (c === null || c.baselineStatus === "pass") return "new";
  const same = rule.percent === c.baselinePercent && c.newlyFailing.length + c.fixed.length + c.waived.length + c.left.length === 0;
  return same ? "unchanged" : "updated";
}
