/**
 * Violation messages as the Pulumi CLI prints them: which DeviceAvHealth resource, which rule, the percent
 * against the threshold, the counts, the first failing devices, and what to do. Device-supplied names, resource
 * names and problems (which can quote a stack-chosen path) pass through showControls, so that a hostile name
 * cannot forge extra output lines.
 */
import type { AvHealthReport, FailingDevice, ReportPublicationInfo, RuleResult } from "../report-model/types";
import { showControls } from "../reports/escape";
import { formatCount, formatPercent, formatThreshold } from "../reports/summary";
import { regressionSentence } from "./baseline";
import type { FleetRef } from "./types";

/** Failing devices named in a violation message; the reports list them all. */
export const FIRST_FAILING_SHOWN = 5;
const NAME_CHARS = 80;

/** How a fleet is named in headings and logs. */
export function fleetTitle(fleet: Pick<FleetRef, "origin" | "name">): string {
  if (fleet.origin === "resource") return `DeviceAvHealth "${showControls(fleet.name)}"`;
  return fleet.name === "" ? "the avhealth policy pack" : `the pack's own snapshot of tenant ${showControls(fleet.name)}`;
}

/** The start of a violation: which fleet; for the pack's own snapshot also how it was taken. */
function subject(fleet: FleetRef): string {
  if (fleet.origin === "resource" || fleet.kind === "unknown") return fleetTitle(fleet);
  if (fleet.snapshot.publication !== undefined) return publicationSubject(fleet.name, fleet.snapshot.publication);
  const { method, deviceCount, digest } = fleet.snapshot;
  const facts = [method ? `method ${method}` : null, deviceCount === null ? null : `${formatCount(deviceCount)} devices`, `${digest.slice(0, 19)}…`];
  return `${fleetTitle(fleet)} (${facts.filter((fact) => fact !== null).join(", ")})`;
}

/** A verified signed publication: where from, by which key, how old, how many devices. */
function publicationSubject(tenant: string, p: ReportPublicationInfo): string {
  const age = p.ageSeconds < 7200 ? `${Math.round(p.ageSeconds / 60)}m` : `${Math.round(p.ageSeconds / 360) / 10}h`;
  return `the signed publication of tenant ${tenant} (${p.location}, keyid ${p.keyid.slice(0, 16)}…, fetched ${p.fetchedAt}, ${age} old, ${formatCount(p.deviceCount)} devices)`;
}

/** The violation for one rule on one evaluated fleet, or undefined when the rule passed. */
export function ruleViolation(
  fleet: FleetRef,
  rule: RuleResult,
  report: AvHealthReport,
  context: { rulesFile: string; minDevices: number; incompleteReasons?: readonly string[] },
): string | undefined {
  switch (rule.status) {
    case "pass":
      return undefined;
    case "fail":
      return [`${subject(fleet)}: rule ${rule.id} failed: ${percentSentence(rule)}.${regressionSentence(rule)}`, failingSentence(rule.failingDevices), "The compliance report lists every device."]
        .filter((part) => part !== "")
        .join(" ");
    case "indeterminate":
      if (!report.snapshot.complete) {
        return (
          `${subject(fleet)}: rule ${rule.id} cannot pass: the data is incomplete (the snapshot holds ` +
          `${formatCount(report.snapshot.deviceCount)} devices${reasonsClause(context.incompleteReasons)}), and a rule never passes on partial data. ` +
          `Fix what the reason names (${fleet.origin === "resource" ? "the DeviceAvHealth diagnostics show" : "the pack's log lines show"} the failed requests), then run again.`
        );
      }
      return (
        `${subject(fleet)}: rule ${rule.id} is indeterminate: only ${formatCount(rule.counts.counted)} device${rule.counts.counted === 1 ? "" : "s"} ` +
        `counted, fewer than settings.minDevices (${context.minDevices}) in ${context.rulesFile}. Check the rule's scope and the resource's filter.`
      );
    case "disabled":
      return (
        `${subject(fleet)}: rule ${rule.id} is disabled in ${context.rulesFile}, so it was not evaluated, but policy config enables it. ` +
        `Set its enforcement in ${context.rulesFile} instead.`
      );
  }
}

/** A fleet the rule could not be checked against (unknown in preview, snapshot missing or unreadable). */
export function fleetProblemViolation(fleet: FleetRef, ruleId: string, problem: string): string {
  return `${subject(fleet)}: rule ${ruleId} cannot be checked, so it fails closed: ${showControls(problem)}.`;
}

export function noFleetViolation(ruleId: string): string {
  return (
    `rule ${ruleId} has no data: the stack has no DeviceAvHealth resource, so it fails closed. ` +
    'Add `new DeviceAvHealth("fleet")` (from pulumi-defender-avhealth/provider) to the program, or run the preview without this policy pack.'
  );
}

function reasonsClause(reasons: readonly string[] | undefined): string {
  if (!reasons || reasons.length === 0) return " but misses pages or export parts";
  const more = reasons.length > 1 ? `; and ${reasons.length - 1} more` : "";
  return `; lost: ${clip(reasons[0], 240)}${more}`;
}

function percentSentence(rule: RuleResult): string {
  const c = rule.counts;
  // Unknown devices (stale or missing data) are a different fix from failing ones: always named apart.
  const failing = c.unknown > 0 && c.failing > 0 ? `${formatCount(c.failing)} failing: ${formatCount(c.fail)} fail, ${formatCount(c.unknown)} unknown` : `${formatCount(c.failing)} failing`;
  const extras = [`${formatCount(c.passing)} passing`, failing];
  if (c.unknown > 0 && c.failing === 0) extras.push(`${formatCount(c.unknown)} unknown`);
  if (c.waived > 0) extras.push(`${formatCount(c.waived)} waived`);
  return `${formatPercent(rule.percent)} of ${formatCount(c.counted)} counted devices comply, required ${formatThreshold(rule.threshold)} (${extras.join(", ")})`;
}

function failingSentence(devices: readonly FailingDevice[]): string {
  if (devices.length === 0) return "";
  const shown = devices.slice(0, FIRST_FAILING_SHOWN).map((device) => `${name(device)} (${clip(device.reason)})`);
  const rest = devices.length - shown.length;
  return `First failing: ${shown.join("; ")}${rest > 0 ? `; and ${formatCount(rest)} more` : ""}.`;
}

function name(device: FailingDevice): string {
  return clip(device.computerDnsName ?? device.machineId);
}

function clip(text: string, max = NAME_CHARS): string {
  const shown = showControls(text);
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}
