/** The history file (README.md, "Baselines"): one JSON line per evaluation. */
import type { RuleStatus } from "../report-model/types";

export interface HistoryRule {
  status: RuleStatus;
  /** The report's rounded percent. */
  percent: number;
  counted: number;
  failing: number;
}

export interface HistoryEntry {
  evaluatedAt: string;
  snapshotDigest: string;
  deviceCount: number;
  gate: "pass" | "fail";
  /** By rule id, in rule-file order. */
  rules: Record<string, HistoryRule>;
}

/** A history file as read: its entries in file order, and what was skipped (a crash-cut last line). */
export interface HistoryRead {
  entries: HistoryEntry[];
  warnings: string[];
}

/** What appendHistory did. `entries` is the history including this evaluation (appended or not). */
export interface HistoryAppend extends HistoryRead {
  appended: boolean;
}
