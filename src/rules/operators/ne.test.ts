import { operatorOutcome, operatorProblem } from "../testing/operator-outcome";

describe("ne", () => {
  it.each([
    ["passive", "active", "pass"],
    ["active", "active", "fail"],
  ])("avMode %s ne %s → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("ne", "avMode", expected, actual)).toBe(outcome);
  });

  it.each([
    [true, false, "pass"],
    [false, false, "fail"],
    [null, false, "unknown"],
  ])("avIsEngineUpToDate %p ne %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("ne", "avIsEngineUpToDate", expected, actual)).toBe(outcome);
  });

  it.each([
    ["4.18.0.0", "4.18", "fail"],
    ["4.18.1", "4.18", "pass"],
    ["garbage", "4.18", "fail"],
    [null, "4.18", "fail"],
  ])("avEngineVersion %p ne %p → %s (null and non-numeric make it false)", (actual, expected, outcome) => {
    expect(operatorOutcome("ne", "avEngineVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["KIOSK-01", "kiosk-01", "fail"],
    ["kiosk-02", "kiosk-01", "pass"],
    [null, "kiosk-01", "fail"],
  ])("computerDnsName %p ne %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("ne", "computerDnsName", expected, actual)).toBe(outcome);
  });

  it.each([
    [5, 7, "pass"],
    [7, 7, "fail"],
  ])("rbacGroupId %p ne %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("ne", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it("refuses raw avMode codes and equality on time fields", () => {
    expect(operatorProblem("ne", "avMode", "1")).toContain('normalized name "passive"');
    expect(operatorProblem("ne", "lastSeenTime", "2026-01-01")).toContain("time field");
  });
});
