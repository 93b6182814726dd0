/**
 * Facts every human-readable format states the same way: number and percent formatting, threshold wording,
 * caps on long device lists, and the figures behind the charts. All deterministic (no locale, no clock), so
 * the same EvaluationResult always renders to the same bytes.
 */
import type { AvHealthReport, FailingDevice, RbacGroupOutcome, RuleResult, RuleStatus } from "../report-model/types";

/** Device rows shown per rule in Markdown (a PR comment must stay readable and under GitHub's size limits). */
export const MARKDOWN_DEVICE_CAP = 25;
/** Device rows shown per rule in HTML. */
export const HTML_DEVICE_CAP = 50;
/** Device lines listed in a JUnit failure body. */
export const JUNIT_DEVICE_CAP = 100;
/** Devices carried in a SARIF result's property bag. */
export const SARIF_DEVICE_CAP = 25;
/** RBAC groups in the "worst groups" chart. */
export const RBAC_GROUP_CAP = 10;

/** 1234567 → "1,234,567" without depending on the process locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The report's percent (already rounded to two decimals) as "97.50%". */
export function formatPercent(percent: number): string {
  return `${percent.toFixed(2)}%`;
}

/** "≥ 98%" or "≥ 98%, ≤ 25 failing". */
export function formatThreshold(threshold: RuleResult["threshold"]): string {
  const min = `≥ ${threshold.minPercent}%`;
  return threshold.maxFailing === null ? min : `${min}, ≤ ${formatCount(threshold.maxFailing)} failing`;
}

export interface Capped<T> {
  shown: T[];
  omitted: number;
}

export function capList<T>(items: readonly T[], cap: number): Capped<T> {
  return { shown: items.slice(0, cap), omitted: Math.max(0, items.length - cap) };
}

export function isEvaluated(rule: RuleResult): boolean {
  return rule.status !== "disabled";
}

/** Whether this rule's status is what makes the gate fail (spec: mandatory fail or indeterminate, fail closed). */
export function failsGate(rule: RuleResult): boolean {
  return rule.enforcement === "mandatory" && (rule.status === "fail" || rule.status === "indeterminate");
}

export function statusCounts(report: AvHealthReport): Record<RuleStatus, number> {
  const counts: Record<RuleStatus, number> = { pass: 0, fail: 0, indeterminate: 0, disabled: 0 };
  for (const rule of report.rules) counts[rule.status] += 1;
  return counts;
}

/** "2 of 5 rules failed, 1 indeterminate; the gate fails on 2 mandatory rules." */
export function gateSentence(report: AvHealthReport): string {
  const counts = statusCounts(report);
  const evaluated = report.rules.length - counts.disabled;
  const parts = [`${counts.pass} of ${evaluated} evaluated rules passed`];
  if (counts.fail > 0) parts.push(`${counts.fail} failed`);
  if (counts.indeterminate > 0) parts.push(`${counts.indeterminate} indeterminate`);
  if (counts.disabled > 0) parts.push(`${counts.disabled} disabled`);
  const blocking = report.rules.filter(failsGate).length;
  const tail =
    blocking > 0
      ? `the gate fails on ${blocking} mandatory rule${blocking === 1 ? "" : "s"}`
      : "no mandatory rule failed";
  return `${parts.join(", ")}; ${tail}.`;
}

/** Why a rule is indeterminate, from the facts the report carries. */
export function indeterminateReason(report: AvHealthReport, rule: RuleResult): string {
  if (!report.snapshot.complete) return "the snapshot is incomplete, so no rule can pass or fail";
  return `only ${formatCount(rule.counts.counted)} device${rule.counts.counted === 1 ? "" : "s"} counted, fewer than settings.minDevices`;
}

/**
 * "98 fail, 125 unknown, 223 counted as failing": fail (the check failed on the device's data) and unknown (no
 * data to judge: stale or missing fields, a different fix often by a different team) are never summed silently.
 */
export function failUnknownText(counts: RuleResult["counts"]): string {
  const split = `${formatCount(counts.fail)} fail, ${formatCount(counts.unknown)} unknown`;
  return counts.failing === counts.fail ? split : `${split} (${formatCount(counts.failing)} counted as failing)`;
}

/**
 * Fail before unknown, each in list order: unknown devices need data, not a fix, and a different team. Read
 * lazily, in two passes: a million-entry list (a read-only view) is never copied.
 */
export function* inRoutingOrder<T extends Pick<FailingDevice, "outcome">>(devices: readonly T[]): Generator<T> {
  for (const d of devices) if (d.outcome === "fail") yield d;
  for (const d of devices) if (d.outcome !== "fail") yield d;
}

/** The first `cap` devices in routing order, and how many more there are. */
export function routingCap<T extends Pick<FailingDevice, "outcome">>(devices: readonly T[], cap: number): Capped<T> {
  const shown: T[] = [];
  if (cap > 0) {
    for (const d of inRoutingOrder(devices)) {
      shown.push(d);
      if (shown.length >= cap) break;
    }
  }
  return { shown, omitted: devices.length - shown.length };
}

/** How many of a failing-device list are fail and unknown. */
export function outcomeSplit(devices: readonly Pick<FailingDevice, "outcome">[]): { fail: number; unknown: number } {
  let fail = 0;
  for (const d of devices) if (d.outcome === "fail") fail++;
  return { fail, unknown: devices.length - fail };
}

/** One sentence of facts about a rule's outcome, shared by SARIF messages and JUnit bodies. */
export function ruleOutcomeSentence(report: AvHealthReport, rule: RuleResult): string {
  if (rule.status === "disabled") return `Rule ${rule.id} is disabled and was not evaluated.`;
  const c = rule.counts;
  const figures =
    `${formatPercent(rule.percent)} of ${formatCount(c.counted)} counted devices passing ` +
    `(threshold ${formatThreshold(rule.threshold)}); ${failUnknownText(c)}, ` +
    `${formatCount(c.waived)} waived, ${formatCount(c.inScope)} in scope.`;
  const verdict =
    rule.status === "indeterminate"
      ? `Rule ${rule.id} is indeterminate: ${indeterminateReason(report, rule)}.`
      : `Rule ${rule.id} ${rule.status === "pass" ? "passed" : "failed"}:`;
  return `${verdict} ${figures}`;
}

/** The name to show for a device: its DNS name, or a marker when Defender has none. */
export function deviceName(device: FailingDevice): string {
  return device.computerDnsName ?? "(no name)";
}

export interface OutcomeTotals {
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
}

/** Device-rule outcomes summed over the evaluated rules (the outcome-breakdown chart). */
export function outcomeTotals(report: AvHealthReport): OutcomeTotals {
  const totals: OutcomeTotals = { pass: 0, fail: 0, unknown: 0, waived: 0 };
  for (const rule of report.rules) {
    if (!isEvaluated(rule)) continue;
    totals.pass += rule.counts.pass;
    totals.fail += rule.counts.fail;
    totals.unknown += rule.counts.unknown;
    totals.waived += rule.counts.waived;
  }
  return totals;
}

/**
 * The groups with the most failing or unknown device-rule outcomes, worst first (ties: more failures, then
 * name, so the order never depends on input order). Groups with nothing failing or unknown are left out.
 */
export function worstRbacGroups(groups: readonly RbacGroupOutcome[], cap: number = RBAC_GROUP_CAP): RbacGroupOutcome[] {
  return groups
    .filter((g) => g.fail + g.unknown > 0)
    .sort(
      (a, b) =>
        b.fail + b.unknown - (a.fail + a.unknown) ||
        b.fail - a.fail ||
        (a.rbacGroupName < b.rbacGroupName ? -1 : a.rbacGroupName > b.rbacGroupName ? 1 : 0),
    )
    .slice(0, cap);
}
