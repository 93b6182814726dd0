/**
 * What `avhealth trend` prints. Table: one row per evaluation (with --rule, that rule's figures; without,
 * the rules that did not pass). CSV and JSON: one row (object) per evaluation and rule, for spreadsheets and jq.
 */
import type { HistoryEntry, HistoryRule } from "../history";
import type { RuleStatus } from "../report-model/types";
import { csvField } from "../reports/escape";
import { renderTable, type Cell, type Colour } from "./table";

export const TREND_FORMATS = ["table", "csv", "json"] as const;
export type TrendFormat = (typeof TREND_FORMATS)[number];

export const TREND_CSV_HEADER = ["evaluatedAt", "snapshotDigest", "deviceCount", "gate", "rule", "status", "percent", "counted", "failing"] as const;

const STATUS_COLOUR: Record<RuleStatus, Colour> = { pass: "green", fail: "red", indeterminate: "yellow", disabled: "grey" };

interface TrendRow {
  evaluatedAt: string;
  snapshotDigest: string;
  deviceCount: number;
  gate: "pass" | "fail";
  rule: string;
  status: RuleStatus;
  percent: number;
  counted: number;
  failing: number;
}

/** One row per entry and rule, file order, only `rule` when given (entries without it are left out). */
export function trendRows(entries: readonly HistoryEntry[], rule?: string): TrendRow[] {
  const rows: TrendRow[] = [];
  for (const entry of entries) {
    for (const [id, r] of Object.entries(entry.rules)) {
      if (rule !== undefined && id !== rule) continue;
      const { evaluatedAt, snapshotDigest, deviceCount, gate } = entry;
      rows.push({ evaluatedAt, snapshotDigest, deviceCount, gate, rule: id, status: r.status, percent: r.percent, counted: r.counted, failing: r.failing });
    }
  }
  return rows;
}

export function renderTrendCsv(entries: readonly HistoryEntry[], rule?: string): string {
  const line = (fields: readonly (string | number)[]): string => `${fields.map((f) => csvField(String(f))).join(",")}\r\n`;
  return line(TREND_CSV_HEADER) + trendRows(entries, rule).map((r) => line(TREND_CSV_HEADER.map((key) => r[key]))).join("");
}

export function renderTrendJson(entries: readonly HistoryEntry[], rule?: string): string {
  return `${JSON.stringify(trendRows(entries, rule), null, 2)}\n`;
}

const short = (digest: string): string => digest.replace(/^sha256:/, "").slice(0, 12);

export function renderTrendTable(entries: readonly HistoryEntry[], colour: boolean, rule?: string): string {
  const gateCell = (gate: "pass" | "fail"): Cell => ({ text: gate, colour: gate === "pass" ? "green" : "red" });
  if (rule !== undefined) {
    const rows = entries.flatMap((e) => {
      const r: HistoryRule | undefined = e.rules[rule];
      if (r === undefined) return [];
      return [[
        { text: e.evaluatedAt },
        { text: short(e.snapshotDigest) },
        { text: String(e.deviceCount), align: "right" as const },
        gateCell(e.gate),
        { text: r.status, colour: STATUS_COLOUR[r.status] },
        { text: r.status === "disabled" ? "-" : `${r.percent.toFixed(2)}%`, align: "right" as const },
        { text: String(r.counted), align: "right" as const },
        { text: String(r.failing), align: "right" as const },
      ]];
    });
    return renderTable(["evaluatedAt", "snapshot", "devices", "gate", "status", "percent", "counted", "failing"], rows, colour);
  }
  const rows = entries.map((e) => {
    const notPassing = Object.entries(e.rules).filter(([, r]) => r.status === "fail" || r.status === "indeterminate");
    return [
      { text: e.evaluatedAt },
      { text: short(e.snapshotDigest) },
      { text: String(e.deviceCount), align: "right" as const },
      gateCell(e.gate),
      { text: notPassing.length === 0 ? "-" : notPassing.map(([id, r]) => `${id} ${r.status === "fail" ? `${r.percent.toFixed(2)}%` : "indeterminate"}`).join(", ") },
    ];
  });
  return renderTable(["evaluatedAt", "snapshot", "devices", "gate", "not passing"], rows, colour);
}
