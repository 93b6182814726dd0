import { operatorOutcome, operatorReason } from "../testing/operator-outcome";

describe("gte", () => {
  it.each([
    ["4.18.2206.108", "4.18.2206.108", "pass"],
    ["4.18.2206.108", "4.18.2206.11", "pass"],
    ["4.18.2205.7", "4.18.2206.108", "fail"],
    ["4.18", "4.18.0.0", "pass"],
    ["4.18.2206.0108", "4.18.2206.108", "pass"],
    ["4.18.2206.108-beta", "4.18", "fail"],
    [null, "4.18", "fail"],
  ])("avPlatformVersion %p gte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gte", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["1.1.19428.0", "1.1.19400.3", "pass"],
    ["1.1.19400.3", "1.1.19428.0", "fail"],
    ["1.1.99999999999999999999.0", "1.1.19428.0", "pass"],
  ])("avEngineVersion %p gte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gte", "avEngineVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["2026-01-01T00:00:00Z", "2026-01-01", "pass"],
    ["2025-12-31T23:59:59Z", "2026-01-01", "fail"],
    ["2026-01-01T01:00:00+01:00", "2026-01-01", "pass"],
  ])("fullScanTime %p gte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gte", "fullScanTime", expected, actual)).toBe(outcome);
  });

  it.each([
    [5, 5, "pass"],
    [4, 5, "fail"],
  ])("rbacGroupId %p gte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gte", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it("explains with the actual relation", () => {
    expect(operatorReason("gte", "avPlatformVersion", "4.18.2206.108", "4.18.2205.7")).toBe("avPlatformVersion 4.18.2205.7 < 4.18.2206.108");
    expect(operatorReason("gte", "avPlatformVersion", "4.18", "four")).toBe("avPlatformVersion four is not a dotted-numeric version");
  });
});
