/**
 * CSV (RFC 4180: CRLF line ends, quoted fields where needed, UTF-8 without a byte-order mark): one row per
 * rule and failing-device outcome, the same devices as the JSON report's failingDevices, uncapped. A rule with
 * no failing device still gets one row, with the device columns empty, so every rule's status is in the file.
 * Values that a spreadsheet would run as a formula are neutralised by csvField.
 */
import type { EvaluationResult } from "../report-model/types";
import { csvField } from "./escape";

export const CSV_HEADER = ["ruleId", "ruleStatus", "enforcement", "machineId", "computerDnsName", "outcome", "reason"] as const;

function line(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/**
 * The file as a sequence of lines, so a writer can stream a million-row file instead of building one string
 * (a fleet-wide failure can list every device under every rule).
 */
export function* csvLines(result: EvaluationResult): Generator<string> {
  yield line(CSV_HEADER);
  for (const rule of result.report.rules) {
    if (rule.failingDevices.length === 0) {
      yield line([rule.id, rule.status, rule.enforcement, "", "", "", ""]);
      continue;
    }
    for (const d of rule.failingDevices) {
      yield line([rule.id, rule.status, rule.enforcement, d.machineId, d.computerDnsName ?? "", d.outcome, d.reason]);
    }
  }
}

export function renderCsv(result: EvaluationResult): string {
  let out = "";
  for (const l of csvLines(result)) out += l;
  return out;
}
