import { operatorOutcome, operatorProblem, operatorReason } from "../testing/operator-outcome";

describe("eq", () => {
  it.each([
    ["active", "active", "pass"],
    ["passive", "active", "fail"],
    ["edrBlocked", "edrBlocked", "pass"],
  ])("avMode %s eq %s → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("eq", "avMode", expected, actual)).toBe(outcome);
  });

  it.each([
    [true, true, "pass"],
    [false, true, "fail"],
    [null, true, "unknown"],
    [null, false, "unknown"],
    [false, false, "pass"],
  ])("avIsSignatureUpToDate %p eq %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("eq", "avIsSignatureUpToDate", expected, actual)).toBe(outcome);
  });

  it.each([
    ["4.18.2206.108", "4.18.2206.108", "pass"],
    ["4.18", "4.18.0.0", "pass"],
    ["4.18.0.0", "4.18", "pass"],
    ["4.18.2206.011", "4.18.2206.11", "pass"],
    ["4.18.2206.11", "4.18.2206.108", "fail"],
    ["not-a-version", "4.18", "fail"],
    [null, "4.18", "fail"],
  ])("avPlatformVersion %p eq %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("eq", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["PC-01.Contoso.com", "pc-01.contoso.com", "pass"],
    ["pc-01.contoso.com", "PC-01.CONTOSO.COM", "pass"],
    ["pc-02.contoso.com", "pc-01.contoso.com", "fail"],
    [null, "pc-01.contoso.com", "fail"],
  ])("computerDnsName %p eq %p → %s (case-insensitive)", (actual, expected, outcome) => {
    expect(operatorOutcome("eq", "computerDnsName", expected, actual)).toBe(outcome);
  });

  it.each([
    ["Completed", "Completed", "pass"],
    ["completed", "Completed", "fail"],
    [null, "Completed", "fail"],
  ])("quickScanResult %p eq %p → %s (case-sensitive)", (actual, expected, outcome) => {
    expect(operatorOutcome("eq", "quickScanResult", expected, actual)).toBe(outcome);
  });

  it.each([
    [4415, 4415, "pass"],
    [4416, 4415, "fail"],
    [null, 4415, "fail"],
  ])("rbacGroupId %p eq %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("eq", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it.each([
    ["avMode", "0", 'raw avMode code; write the normalized name "active"'],
    ["avMode", 4, 'write the normalized name "edrBlocked"'],
    ["avMode", "Active", "unknown avMode"],
    ["avPlatformVersion", 4.18, "version values must be quoted strings"],
    ["avPlatformVersion", "4.18-beta", "not a dotted-numeric version"],
    ["avIsSignatureUpToDate", "true", "write true or false without quotes"],
    ["rbacGroupId", "4415", "integer values"],
    ["rbacGroupId", 1.5, "integer values"],
    ["osVersion", 10, "quoted string"],
  ])("%s eq %p is refused at load time: %s", (field, expected, message) => {
    expect(operatorProblem("eq", field as "avMode", expected)).toContain(message);
  });

  it("explains a mismatch with both values", () => {
    expect(operatorReason("eq", "avMode", "active", "passive")).toBe("avMode is passive, expected active");
    expect(operatorReason("eq", "avIsSignatureUpToDate", true, false)).toBe("avIsSignatureUpToDate is false, expected true");
    expect(operatorReason("eq", "quickScanResult", "Completed", null)).toBe("quickScanResult is null");
  });
});
