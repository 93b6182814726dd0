import { operatorOutcome, operatorProblem } from "../testing/operator-outcome";
import { globMatch, globMatcher } from "./glob";

describe("glob", () => {
  it.each([
    ["Prod-Web", "Prod-*", "pass"],
    ["prod-web", "Prod-*", "fail"],
    ["Prod-", "Prod-*", "pass"],
    ["XProd-Web", "Prod-*", "fail"],
    ["Lab1", "Lab?", "pass"],
    ["Lab12", "Lab?", "fail"],
    [null, "*", "fail"],
  ])("rbacGroupName %p glob %p → %s (case-sensitive, whole value)", (actual, expected, outcome) => {
    expect(operatorOutcome("glob", "rbacGroupName", expected, actual)).toBe(outcome);
  });

  it.each([
    ["KIOSK-07.contoso.com", "kiosk-*.contoso.com", "pass"],
    ["kiosk-07.fabrikam.com", "KIOSK-*.CONTOSO.COM", "fail"],
  ])("computerDnsName %p glob %p → %s (case-insensitive)", (actual, expected, outcome) => {
    expect(operatorOutcome("glob", "computerDnsName", expected, actual)).toBe(outcome);
  });

  it.each([
    ["4.18.2206.108", "4.18.*", "pass"],
    ["4.19.1", "4.18.*", "fail"],
  ])("avPlatformVersion %p glob %p → %s (raw string)", (actual, expected, outcome) => {
    expect(operatorOutcome("glob", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["*", "", true],
    ["?", "", false],
    ["**a", "ba", true],
    ["a?c", "a*c", true],
    ["a*", "a*", true],
  ])("globMatch(%p, %p) = %p", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it.each([
    ["Prod-*", ["Prod-", "Prod-East", "prod-East", "XProd-"]],
    ["*.contoso.com", [".contoso.com", "a.contoso.com", "a.contoso.com.x", "contoso.com"]],
    ["*lab*", ["lab", "my-lab-1", "LAB", "la"]],
    ["a*b", ["ab", "aXb", "a", "b", "aXbX"]],
    ["a*b*c", ["abc", "aXbYc", "acb"]],
    ["exact", ["exact", "exactly", ""]],
    ["*", ["", "anything"]],
    ["**", ["", "x"]],
    ["a?*", ["a", "ab", "abc"]],
    ["ab*ab", ["ab", "abab", "abXab"]],
  ])("globMatcher(%p) agrees with globMatch", (pattern, texts) => {
    const fast = globMatcher(pattern);
    for (const text of texts) expect([text, fast(text)]).toEqual([text, globMatch(pattern, text)]);
  });

  it("stays linear on a hostile pattern", () => {
    const started = Date.now();
    expect(globMatch(`${"*a".repeat(50)}b`, "a".repeat(5000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("is refused on enum and time fields, and needs a pattern", () => {
    expect(operatorProblem("glob", "rbacGroupName", "")).toContain("non-empty pattern");
    expect(operatorProblem("glob", "rbacGroupName", 5)).toContain("non-empty pattern");
  });
});
