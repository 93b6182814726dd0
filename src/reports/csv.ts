/**
 * CSV (RFC 4180: CRLF line ends, quoted fields where needed, UTF-8 without a byte-order mark): one row per
 * rule and failing-device outcome, the same devices as the JSON report's failingDevices, uncapped. A rule with
 * no failing device still gets one row, with the device columns empty, so every rule's status is in the file.
 * With a baseline, percentDelta carries the rule's change in points, `change` says of each failing device
 * whether it is newly failing or still failing, and the baseline's failing devices that no longer fail get a row
 * each (change fixed, waived or left; outcome and reason empty). Values that a spreadsheet would run as a
 * formula are neutralised by csvField.
 * After those (added later, so a reader that takes columns by position still works): where to route the device
 * (rbacGroupName, osPlatform, lastSeenTime) and the rule's fail and unknown counts. Each rule's devices come
 * fail first, then unknown, by name within each.
 */
import type { BaselineDevice, EvaluationResult, RuleResult } from "../report-model/types";
import { csvField } from "./escape";
import { inRoutingOrder } from "./summary";

export const CSV_HEADER = [
  "ruleId",
  "ruleStatus",
  "enforcement",
  "machineId",
  "computerDnsName",
  "outcome",
  "reason",
  "percentDelta",
  "change",
  "rbacGroupName",
  "osPlatform",
  "lastSeenTime",
  "ruleFail",
  "ruleUnknown",
] as const;

function line(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/**
 * A row whose percentDelta is a number written as such: String(number) holds no comma or quote, and a leading
 * minus is what a spreadsheet should read as a negative number, not a formula to neutralise.
 */
function deltaLine(fields: readonly string[], delta: string, change: string, tail: readonly string[]): string {
  return `${fields.map(csvField).join(",")},${delta},${[change, ...tail].map(csvField).join(",")}\r\n`;
}

/**
 * The file as a sequence of lines, so a writer can stream a million-row file instead of building one string
 * (a fleet-wide failure can list every device under every rule).
 */
export function* csvLines(result: EvaluationResult): Generator<string> {
  yield line(CSV_HEADER);
  for (const rule of result.report.rules) yield* ruleLines(rule);
}

function* ruleLines(rule: RuleResult): Generator<string> {
  const c = rule.comparison;
  const delta = c === null ? "" : String(c.percentDelta);
  const head = [rule.id, rule.status, rule.enforcement];
  const counts = rule.status === "disabled" ? ["", ""] : [String(rule.counts.fail), String(rule.counts.unknown)];
  const noFacts = ["", "", "", ...counts];
  const gone = c === null ? 0 : c.fixed.length + c.waived.length + c.left.length;
  if (rule.failingDevices.length === 0 && gone === 0) {
    yield deltaLine([...head, "", "", "", ""], delta, "", noFacts);
    return;
  }
  const newly = c === null ? null : new Set(c.newlyFailing.map((d) => d.machineId));
  for (const d of inRoutingOrder(rule.failingDevices)) {
    const change = newly === null ? "" : newly.has(d.machineId) ? "newly failing" : "still failing";
    const facts = [d.rbacGroupName ?? "", d.osPlatform ?? "", d.lastSeenTime ?? "", ...counts];
    yield deltaLine([...head, d.machineId, d.computerDnsName ?? "", d.outcome, d.reason], delta, change, facts);
  }
  if (c === null) return;
  const others: Array<[string, readonly BaselineDevice[]]> = [
    ["fixed", c.fixed],
    ["waived", c.waived],
    ["left", c.left],
  ];
  for (const [change, devices] of others) {
    for (const d of devices) yield deltaLine([...head, d.machineId, d.computerDnsName ?? "", "", ""], delta, change, noFacts);
  }
}

export function renderCsv(result: EvaluationResult): string {
  let out = "";
  for (const l of csvLines(result)) out += l;
  return out;
}
