import { ago, operatorOutcome, operatorProblem, operatorReason } from "../testing/operator-outcome";

describe("within", () => {
  it.each([
    [ago("1d"), "7d", "pass"],
    [ago("7d"), "7d", "pass"],
    [ago("8d"), "7d", "fail"],
    [ago("29m"), "30m", "pass"],
    [ago("31m"), "30m", "fail"],
    [ago("11h"), "12h", "pass"],
    [ago("3w"), "2w", "fail"],
    [null, "7d", "fail"],
    ["garbage", "7d", "fail"],
  ])("quickScanTime %p within %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("within", "quickScanTime", expected, actual)).toBe(outcome);
  });

  it.each([["7 days"], ["7"], [7], ["1y"], ["-1d"], ["7D"]])("refuses duration %p", (duration) => {
    expect(operatorProblem("within", "quickScanTime", duration)).toContain("integer followed by m, h, d or w");
  });

  it("explains", () => {
    expect(operatorReason("within", "quickScanTime", "7d", ago("8d"))).toBe(`quickScanTime ${ago("8d")} is older than 7d`);
    expect(operatorReason("within", "quickScanTime", "7d", null)).toBe("quickScanTime is null");
  });
});
