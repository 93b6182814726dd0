import type { AvHealthReport, Enforcement, RuleStatus } from "../../report-model/types";
import { gateExitCode, gateOf } from "./gate";

function report(rules: Array<[Enforcement, RuleStatus]>, complete = true): AvHealthReport {
  const results = rules.map(([enforcement, status], i) => ({
    id: `r${i}`,
    description: "",
    severity: "medium" as const,
    enforcement,
    status,
    counts: { inScope: 0, pass: 0, fail: 0, unknown: 0, waived: 0, counted: 0, passing: 0, failing: 0 },
    percent: 100,
    threshold: { minPercent: 100, maxFailing: null },
    failingDevices: [],
    comparison: null,
    baselineNote: null,
  }));
  return {
    kind: "avhealth-report",
    schemaVersion: 2,
    evaluatedAt: "2026-01-01T00:00:00.000Z",
    gate: gateOf(results),
    snapshot: { digest: "sha256:x", method: "json", complete, deviceCount: 0, generatedTime: null, tenantId: null },
    baseline: null,
    rules: results,
    exceptions: [],
  };
}

describe("gate", () => {
  it.each([
    [[["mandatory", "pass"]], "pass", 0],
    [[["mandatory", "fail"]], "fail", 1],
    [[["mandatory", "indeterminate"]], "fail", 3],
    [[["mandatory", "fail"], ["mandatory", "indeterminate"]], "fail", 1],
    [[["advisory", "fail"], ["advisory", "indeterminate"]], "pass", 0],
    [[["disabled", "disabled"], ["mandatory", "pass"]], "pass", 0],
    [[], "pass", 0],
  ] as Array<[Array<[Enforcement, RuleStatus]>, string, number]>)("%j → gate %s, exit %i", (rules, gate, exit) => {
    const r = report(rules);
    expect(r.gate).toBe(gate);
    expect(gateExitCode(r)).toBe(exit);
  });

  it.each([
    [[["advisory", "indeterminate"]], "pass", 3],
    [[["disabled", "disabled"]], "pass", 3],
    [[["mandatory", "indeterminate"]], "fail", 3],
    [[["mandatory", "fail"], ["mandatory", "indeterminate"]], "fail", 1],
  ] as Array<[Array<[Enforcement, RuleStatus]>, string, number]>)("incomplete snapshot: %j → gate %s, exit %i", (rules, gate, exit) => {
    const r = report(rules, false);
    expect(r.gate).toBe(gate);
    expect(gateExitCode(r)).toBe(exit);
  });
});
