import { operatorOutcome, operatorProblem } from "../testing/operator-outcome";

describe("regex (RE2 syntax)", () => {
  it.each([
    ["web-01.contoso.com", "web-\\d+\\.contoso\\.com", "pass"],
    ["WEB-01.contoso.com", "web-\\d+\\.contoso\\.com", "fail"],
    ["WEB-01.contoso.com", "(?i)web-\\d+\\.contoso\\.com", "pass"],
    ["xweb-01.contoso.com", "web-\\d+\\.contoso\\.com", "fail"],
    ["web-01.contoso.com.evil", "web-\\d+\\.contoso\\.com", "fail"],
    ["web-01.contoso.com\n", "web-\\d+\\.contoso\\.com$", "fail"],
    ["abacab", "(ab|ac)*", "pass"],
    ["abadab", "(ab|ac)*", "fail"],
    ["ab", "a|ab", "pass"],
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+", "fail"],
    ["srv-é1", "srv-\\pL\\d", "pass"],
    ["srv-😀", "srv-.", "pass"],
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

  it.each([["(a+)+"], ["(a*)*"], ["(a|a)*"], ["(ab|ac)*"], ["(\\w|\\d)+"], ["(a?)*"], ["(.*a){12}"], ["[a-z0-9-]+\\.contoso\\.com"], ["\\d{1,3}(\\.\\d{1,3}){3}"], ["(?P<name>x)"], ["[[:alpha:]]+"]])(
    "accepts %p (linear-time matching: nothing to screen)",
    (pattern) => {
      expect(operatorProblem("regex", "computerDnsName", pattern)).toBeNull();
    },
  );

  it.each([
    ["(unclosed", "regex is not valid RE2 syntax: missing closing ): `(unclosed`"],
    ["(?<name>x)\\k<name>", "regex is not valid RE2 syntax: invalid escape sequence: `\\k`"],
    ["(?=a)b", "regex is not valid RE2 syntax: invalid or unsupported Perl syntax: `(?=`"],
    ["x**", "regex is not valid RE2 syntax: invalid nested repetition operator: `**`"],
    ["a{1001}", "regex is not valid RE2 syntax: invalid repeat count: `{1001}`"],
    ["[z-a]", "regex is not valid RE2 syntax: invalid character class range: `z-a`"],
    ["a".repeat(201), "regex is 201 characters; the limit is 200"],
    ["", "regex takes a non-empty pattern string"],
    [7, "regex takes a non-empty pattern string"],
  ])("refuses %p: %s", (pattern, message) => {
    expect(operatorProblem("regex", "computerDnsName", pattern)).toBe(message);
  });

  it("accepts a pattern of exactly 200 characters", () => {
    expect(operatorProblem("regex", "computerDnsName", "a".repeat(200))).toBeNull();
  });
});
