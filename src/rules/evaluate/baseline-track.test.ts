import { parseBaseline } from "../../baseline/load";
import { BaselineTracker } from "./baseline-track";

const report = (ids: string[]) =>
  JSON.stringify({
    kind: "avhealth-report",
    schemaVersion: 2,
    evaluatedAt: "2026-01-01T00:00:00.000Z",
    snapshot: { digest: "sha256:x", tenantId: null },
    rules: [
      { id: "a", status: "fail", percent: 50, failingDevices: ids.map((machineId) => ({ machineId, computerDnsName: null })) },
      { id: "b", status: "pass", percent: 100, failingDevices: [{ machineId: ids[1], computerDnsName: null }] },
    ],
  });

describe("BaselineTracker", () => {
  const ids = ["0123456789abcdef0000000000000000000000aa", "0123456789abcdef0000000000000000000000bb", "m1"];
  const baseline = parseBaseline(report(ids), "b.json");
  const tracker = new BaselineTracker(baseline, [baseline.rules.get("a") ?? null, baseline.rules.get("b") ?? null, null]);

  it("finds every baseline device's row, and none for others, including ids that share a long prefix", () => {
    expect(ids.map((id) => tracker.rowOf(id))).toEqual([0, 3, 6]);
    expect(tracker.rowOf("0123456789abcdef0000000000000000000000cc")).toBe(-1);
    expect(tracker.rowOf("m2")).toBe(-1);
    expect(tracker.rowOf("")).toBe(-1);
  });

  it("knows which rule each device failed in the baseline, and which columns are compared", () => {
    expect(ids.map((id) => [tracker.failedBefore(tracker.rowOf(id), 0), tracker.failedBefore(tracker.rowOf(id), 1)])).toEqual([
      [true, false],
      [true, true],
      [true, false],
    ]);
    expect(tracker.failedBefore(-1, 0)).toBe(false);
    expect(tracker.comparedColumn).toEqual([true, true, false]);
  });
});
