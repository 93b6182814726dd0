import { operatorOutcome, operatorProblem, operatorReason } from "../testing/operator-outcome";

describe("in", () => {
  const servers = ["WindowsServer2019", "WindowsServer2022"];
  it.each([
    ["WindowsServer2019", servers, "pass"],
    ["Windows11", servers, "fail"],
    ["windowsserver2019", servers, "fail"],
    [null, servers, "fail"],
  ])("osPlatform %p in %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("in", "osPlatform", expected, actual)).toBe(outcome);
  });

  it.each([
    ["KIOSK-01.contoso.com", ["kiosk-01.contoso.com"], "pass"],
    ["kiosk-02.contoso.com", ["KIOSK-01.contoso.com"], "fail"],
  ])("computerDnsName %p in %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("in", "computerDnsName", expected, actual)).toBe(outcome);
  });

  it.each([
    ["passive", ["active", "passive"], "pass"],
    ["disabled", ["active", "passive"], "fail"],
  ])("avMode %p in %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("in", "avMode", expected, actual)).toBe(outcome);
  });

  it.each([
    ["4.18.0.0", ["4.18", "4.19"], "pass"],
    ["4.18.1", ["4.18", "4.19"], "fail"],
  ])("avPlatformVersion %p in %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("in", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    [null, [true], "unknown"],
    [false, [true, false], "pass"],
  ])("avIsPlatformUpToDate %p in %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("in", "avIsPlatformUpToDate", expected, actual)).toBe(outcome);
  });

  it.each([
    [12, [12, 13], "pass"],
    [14, [12, 13], "fail"],
  ])("rbacGroupId %p in %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("in", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it.each([
    ["avMode", "active", "takes a list"],
    ["avMode", [], "at least one value"],
    ["avMode", ["active", "0"], 'item 1: "0" is a raw avMode code'],
    ["avPlatformVersion", ["4.18", 4.19], "item 1: version values must be quoted strings"],
  ])("%s in %p is refused: %s", (field, expected, message) => {
    expect(operatorProblem("in", field as "avMode", expected)).toContain(message);
  });

  it("lists the allowed values in the reason", () => {
    expect(operatorReason("in", "avMode", ["active", "passive"], "disabled")).toBe("avMode is disabled, expected one of [active, passive]");
  });
});
