/** History entries for tests: two passing rules by default; each test changes one thing. */
import type { HistoryEntry, HistoryRule } from "../../src/history";

export function makeHistoryRule(overrides: Partial<HistoryRule> = {}): HistoryRule {
  return { status: "pass", percent: 99.5, counted: 200, failing: 1, ...overrides };
}

export function makeEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    evaluatedAt: "2026-06-01T12:00:00.000Z",
    snapshotDigest: `sha256:${"ab".repeat(32)}`,
    deviceCount: 200,
    gate: "pass",
    rules: { "signatures-current": makeHistoryRule(), "active-mode": makeHistoryRule({ percent: 100, failing: 0 }) },
    ...overrides,
  };
}

/** n entries a day apart, each with its own digest and a percent that falls by 0.5 a day from 100. */
export function makeEntries(n: number): HistoryEntry[] {
  return Array.from({ length: n }, (_, i) =>
    makeEntry({
      evaluatedAt: new Date(Date.UTC(2026, 5, 1 + i, 12)).toISOString(),
      snapshotDigest: `sha256:${i.toString(16).padStart(12, "0")}${"e".repeat(52)}`,
      gate: i % 3 === 2 ? "fail" : "pass",
      rules: {
        "signatures-current": makeHistoryRule({ percent: 100 - i * 0.5, status: i % 3 === 2 ? "fail" : "pass" }),
        "active-mode": makeHistoryRule({ percent: 100, failing: 0 }),
      },
    }),
  );
}

export const line = (entry: HistoryEntry): string => `${JSON.stringify(entry)}\n`;
