import { operatorOutcome, operatorProblem } from "../testing/operator-outcome";
import { regexRisk } from "./regex-safety";

describe("regex", () => {
  it.each([
    ["web-01.contoso.com", "web-\\d+\\.contoso\\.com", "pass"],
    ["WEB-01.contoso.com", "web-\\d+\\.contoso\\.com", "fail"],
    ["xweb-01.contoso.com", "web-\\d+\\.contoso\\.com", "fail"],
    ["web-01.contoso.com.evil", "web-\\d+\\.contoso\\.com", "fail"],
    [null, ".*", "fail"],
  ])("computerDnsName %p regex %p → %s (whole value, case-sensitive)", (actual, expected, outcome) => {
    expect(operatorOutcome("regex", "computerDnsName", expected, actual)).toBe(outcome);
  });

  it.each([
    ["4.18.2206.108", "4\\.18\\..*", "pass"],
    ["4.19.1", "4\\.18\\..*", "fail"],
  ])("avPlatformVersion %p regex %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("regex", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["(a+)+", "nested quantifiers"],
    ["(a*)*", "nested quantifiers"],
    ["(x+x+)+y", "nested quantifiers"],
    ["(?:\\d+)*", "nested quantifiers"],
    ["(a+){2,50}", "nested quantifiers"],
    ["(a|a)*", "repeated alternatives"],
    ["(\\w|\\d)+", "repeated alternatives"],
    ["([a-z]|x)+", "repeated alternatives"],
    ["(a?)*", "empty string"],
    ["(a|)+", "empty string"],
  ])("refuses %p (%s)", (pattern, message) => {
    expect(regexRisk(pattern)).toContain(message);
    expect(operatorProblem("regex", "computerDnsName", pattern)).toContain("unsafe regex");
  });

  it.each([["^web-\\d+$"], ["(ab|cd)*"], ["[a-z0-9-]+\\.contoso\\.com"], ["(a+b){2}"], ["\\d{1,3}(\\.\\d{1,3}){3}"], ["(?<name>x)\\k<name>"], ["[\\w.]+"]])(
    "accepts %p",
    (pattern) => {
      expect(regexRisk(pattern)).toBeNull();
      expect(operatorProblem("regex", "computerDnsName", pattern)).toBeNull();
    },
  );

  it("refuses patterns that do not compile or are too long", () => {
    expect(operatorProblem("regex", "computerDnsName", "(unclosed")).toContain("does not compile");
    expect(operatorProblem("regex", "computerDnsName", "a".repeat(201))).toContain("limit is 200");
  });
});
