import type { AvHealthReport, BaselineDevice, FailingDevice, RuleResult } from "../../report-model/types";
import { serializeReport, serializeReportChunks } from "./report";

const hostile = ['plain', 'quote " backslash \\ slash /', "line\nbreak\ttab\u0000nul", "\u2028\u2029 separators", "lone \ud800 surrogate", "emoji 😀 München"];

function failing(n: number): FailingDevice[] {
  return Array.from({ length: n }, (_, i) => ({
    machineId: `m-${i}-${hostile[i % hostile.length]}`,
    computerDnsName: i % 4 === 0 ? null : `host-${hostile[(i + 1) % hostile.length]}`,
    outcome: i % 2 === 0 ? "fail" : "unknown",
    reason: hostile[(i + 2) % hostile.length] as string,
  }));
}

function gone(n: number): BaselineDevice[] {
  return Array.from({ length: n }, (_, i) => ({ machineId: `b-${i}`, computerDnsName: i % 3 === 0 ? null : `old-${hostile[i % hostile.length]}` }));
}

function rule(id: string, devices: FailingDevice[], compared: boolean): RuleResult {
  return {
    id,
    description: "d",
    severity: "high",
    enforcement: "mandatory",
    status: devices.length === 0 ? "pass" : "fail",
    counts: { inScope: 9, pass: 1, fail: 2, unknown: 3, waived: 3, counted: 6, passing: 1, failing: 5 },
    percent: 16.67,
    threshold: { minPercent: 98, maxFailing: null },
    failingDevices: devices,
    comparison: compared
      ? { baselineStatus: "pass", baselinePercent: 100, percentDelta: -83.33, regressed: true, ratcheted: false, newlyFailing: devices.slice(0, 2), fixed: gone(70), waived: [], left: gone(1) }
      : null,
    baselineNote: compared ? null : "no baseline",
  };
}

function report(rules: RuleResult[]): AvHealthReport {
  return {
    kind: "avhealth-report",
    schemaVersion: 2,
    evaluatedAt: "2026-01-15T12:00:00.000Z",
    gate: "fail",
    snapshot: { digest: "sha256:x", method: "files", complete: true, deviceCount: 9, generatedTime: null, tenantId: null },
    baseline: { file: "old.json", evaluatedAt: "2026-01-14T12:00:00.000Z", snapshotDigest: "sha256:y" },
    rules,
    exceptions: [{ rule: "*", reason: "r", expires: "2026-12-31", state: "active", devicesMatched: 2 }],
  };
}

describe("serializeReportChunks writes device lists from the report's own entries", () => {
  it.each([0, 1, 64, 65, 300])("%i failing devices per rule, hostile strings, comparisons: the same bytes as serializeReport", (n) => {
    const r = report([rule("a", failing(n), true), rule("b", failing(n), false), rule("c", [], true)]);
    expect([...serializeReportChunks(r)].join("")).toBe(serializeReport(r));
  });

  it("an entry with a key left undefined or extra keys is written as its canonical copy would be", () => {
    const odd = [
      { machineId: "x", computerDnsName: "n", outcome: "fail", reason: undefined, extra: 1 },
      { machineId: "y", outcome: "unknown", reason: "r" },
    ] as unknown as FailingDevice[];
    const r = report([rule("a", odd, true)]);
    const text = [...serializeReportChunks(r)].join("");
    expect(text).toBe(serializeReport(r));
    expect(text).not.toContain("extra");
    expect(text).not.toContain("undefined");
  });

  it("keeps no chunk larger than one entry for a long list", () => {
    const chunks = [...serializeReportChunks(report([rule("a", failing(5000), false)]))];
    expect(chunks.length).toBeGreaterThan(5000);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1000);
  });
});
