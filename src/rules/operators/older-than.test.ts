import { ago, operatorOutcome, operatorReason } from "../testing/operator-outcome";

describe("olderThan", () => {
  it.each([
    [ago("31d"), "30d", "pass"],
    [ago("30d"), "30d", "fail"],
    [ago("1d"), "30d", "fail"],
    [null, "30d", "pass"],
    ["unparseable", "30d", "pass"],
  ])("fullScanTime %p olderThan %p → %s (null holds)", (actual, expected, outcome) => {
    expect(operatorOutcome("olderThan", "fullScanTime", expected, actual)).toBe(outcome);
  });

  it("explains a recent value", () => {
    expect(operatorReason("olderThan", "fullScanTime", "30d", ago("1d"))).toBe(`fullScanTime ${ago("1d")} is within 30d`);
  });
});
