import { operatorOutcome, operatorProblem } from "../testing/operator-outcome";

describe("notIn", () => {
  it.each([
    ["active", ["disabled", "other"], "pass"],
    ["disabled", ["disabled", "other"], "fail"],
  ])("avMode %p notIn %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("notIn", "avMode", expected, actual)).toBe(outcome);
  });

  it.each([
    ["Failed", ["Failed", "Canceled"], "fail"],
    ["Completed", ["Failed", "Canceled"], "pass"],
    [null, ["Failed", "Canceled"], "fail"],
  ])("quickScanResult %p notIn %p → %s (null makes it false)", (actual, expected, outcome) => {
    expect(operatorOutcome("notIn", "quickScanResult", expected, actual)).toBe(outcome);
  });

  it.each([
    ["LAB-PC.contoso.com", ["lab-pc.contoso.com"], "fail"],
    ["prod-pc.contoso.com", ["lab-pc.contoso.com"], "pass"],
  ])("computerDnsName %p notIn %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("notIn", "computerDnsName", expected, actual)).toBe(outcome);
  });

  it.each([
    [null, [false], "unknown"],
    [true, [false], "pass"],
  ])("avIsSignatureUpToDate %p notIn %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("notIn", "avIsSignatureUpToDate", expected, actual)).toBe(outcome);
  });

  it.each([
    ["4.18.2206.108", ["4.18.2206.108.0"], "fail"],
    ["x.y", ["4.18"], "fail"],
  ])("avPlatformVersion %p notIn %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("notIn", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it("refuses a scalar", () => {
    expect(operatorProblem("notIn", "osKind", "linux")).toContain("takes a list");
  });
});
