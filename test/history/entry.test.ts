import { historyEntry, historyLine, sameEvaluation } from "../../src/history";
import { makeCounts, makeFailingRule, makeReport, makeRule, makeDevices } from "../reports/fixtures/evaluation";
import { makeEntry, makeHistoryRule } from "./fixtures";

describe("historyEntry", () => {
  it("keeps the time, snapshot, gate and each rule's status, percent, counted and failing, in rule order", () => {
    const report = makeReport({
      evaluatedAt: "2026-06-02T08:00:00.000Z",
      gate: "fail",
      rules: [makeFailingRule(makeDevices(3), { id: "b-rule" }), makeRule({ id: "a-rule", status: "disabled", counts: makeCounts({ counted: 0, failing: 0 }) })],
    });
    const entry = historyEntry(report);
    expect(entry).toEqual({
      evaluatedAt: "2026-06-02T08:00:00.000Z",
      snapshotDigest: `sha256:${"ab".repeat(32)}`,
      deviceCount: 1234,
      gate: "fail",
      rules: { "b-rule": { status: "fail", percent: 97.09, counted: 103, failing: 3 }, "a-rule": { status: "disabled", percent: 100, counted: 0, failing: 0 } },
    });
    expect(Object.keys(entry.rules)).toEqual(["b-rule", "a-rule"]);
    expect(historyLine(entry)).toBe(
      '{"evaluatedAt":"2026-06-02T08:00:00.000Z","snapshotDigest":"sha256:' + "ab".repeat(32) + '","deviceCount":1234,"gate":"fail",' +
        '"rules":{"b-rule":{"status":"fail","percent":97.09,"counted":103,"failing":3},"a-rule":{"status":"disabled","percent":100,"counted":0,"failing":0}}}\n',
    );
  });
});

describe("sameEvaluation", () => {
  const base = makeEntry();
  it.each([
    ["a later time only", makeEntry({ evaluatedAt: "2026-06-01T12:05:00.000Z" }), true],
    ["another snapshot", makeEntry({ snapshotDigest: "sha256:" + "cd".repeat(32) }), false],
    ["another percent", makeEntry({ rules: { ...base.rules, "signatures-current": makeHistoryRule({ percent: 99.4 }) } }), false],
    ["another status", makeEntry({ rules: { ...base.rules, "signatures-current": makeHistoryRule({ status: "fail" }) } }), false],
    ["another failing count", makeEntry({ rules: { ...base.rules, "signatures-current": makeHistoryRule({ failing: 2 }) } }), false],
    ["another counted", makeEntry({ rules: { ...base.rules, "signatures-current": makeHistoryRule({ counted: 201 }) } }), false],
    ["one rule fewer", makeEntry({ rules: { "signatures-current": makeHistoryRule() } }), false],
    ["one rule more", makeEntry({ rules: { ...base.rules, extra: makeHistoryRule() } }), false],
    ["the rules in another order", makeEntry({ rules: { "active-mode": base.rules["active-mode"]!, "signatures-current": base.rules["signatures-current"]! } }), false],
    ["a renamed rule", makeEntry({ rules: { "signatures-current": makeHistoryRule(), "active-modes": base.rules["active-mode"]! } }), false],
  ])("with %s: %p", (_what, other, same) => {
    expect(sameEvaluation(base, other)).toBe(same);
    expect(sameEvaluation(other, base)).toBe(same);
  });
});
