import { operatorOutcome, operatorReason } from "../testing/operator-outcome";

describe("lte", () => {
  it.each([
    ["4.18.2206.108", "4.18.2206.108", "pass"],
    ["4.18.2206.11", "4.18.2206.108", "pass"],
    ["4.18.2206.108", "4.18.2206.11", "fail"],
    ["4.18.0.0", "4.18", "pass"],
    [null, "4.18", "fail"],
  ])("avPlatformVersion %p lte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("lte", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "pass"],
    ["2026-01-01T00:00:01Z", "2026-01-01T00:00:00Z", "fail"],
  ])("quickScanTime %p lte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("lte", "quickScanTime", expected, actual)).toBe(outcome);
  });

  it.each([
    [3, 3, "pass"],
    [4, 3, "fail"],
  ])("rbacGroupId %p lte %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("lte", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it("explains with the actual relation", () => {
    expect(operatorReason("lte", "rbacGroupId", 3, 4)).toBe("rbacGroupId 4 > 3");
  });
});
