import { operatorOutcome, operatorProblem, operatorReason } from "../testing/operator-outcome";

describe("exists", () => {
  it.each([
    ["fullScanTime", "2026-01-01T00:00:00Z", true, "pass"],
    ["fullScanTime", null, true, "fail"],
    ["fullScanTime", null, false, "pass"],
    ["fullScanTime", "2026-01-01T00:00:00Z", false, "fail"],
    ["avIsSignatureUpToDate", null, true, "fail"],
    ["avIsSignatureUpToDate", null, false, "pass"],
    ["avIsSignatureUpToDate", false, true, "pass"],
    ["rbacGroupId", null, false, "pass"],
    ["avPlatformVersion", "garbage", true, "pass"],
    ["avMode", "active", true, "pass"],
  ])("%s %p exists %p → %s (never unknown)", (field, actual, expected, outcome) => {
    expect(operatorOutcome("exists", field as "fullScanTime", expected, actual)).toBe(outcome);
  });

  it("takes a boolean only", () => {
    expect(operatorProblem("exists", "fullScanTime", "true")).toContain("true or false");
  });

  it("explains", () => {
    expect(operatorReason("exists", "fullScanTime", true, null)).toBe("fullScanTime is null");
    expect(operatorReason("exists", "fullScanError", false, "0x80508023")).toBe("fullScanError is set (0x80508023)");
  });
});
