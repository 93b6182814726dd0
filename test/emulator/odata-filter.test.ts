import { matches, ODataSyntaxError, parseFilter } from "../../src/emulator";
import { tokenize } from "../../src/emulator/odata/lexer";

const device = {
  machineId: "abc",
  computerDnsName: "PC1.contoso.com",
  osKind: "windows",
  avMode: "0",
  avIsSignatureUpToDate: "True",
  quickScanResult: "",
  fullScanTime: null,
  rbacGroupId: 712,
  rbacGroupName: "Servers",
  osPlatform: "O'Brien's",
};

describe("OData $filter lexer", () => {
  it.each([
    ["avMode eq '0'", ["word:avMode", "word:eq", "string:0", "end"]],
    ["(rbacGroupId eq -5)", ["lparen", "word:rbacGroupId", "word:eq", "number:-5", "rparen", "end"]],
    ["x eq 'it''s'", ["word:x", "word:eq", "string:it's", "end"]],
    ["a eq ''", ["word:a", "word:eq", "string:", "end"]],
  ])("%s", (text, expected) => {
    const kinds = tokenize(text).map((t) => ("value" in t ? `${t.kind}:${String(t.value)}` : t.kind));
    expect(kinds).toEqual(expected);
  });

  it.each([["avMode eq '0"], ["avMode eq 0.5"], ["avMode eq \"0\""], ["avMode eq 0x1"], ["a = 'b'"]])("rejects %s", (text) => {
    expect(() => tokenize(text)).toThrow(ODataSyntaxError);
  });
});

describe("OData $filter evaluation", () => {
  it.each<[string, boolean]>([
    ["avMode eq '0'", true],
    ["avMode eq '1'", false],
    ["avMode ne '1'", true],
    ["AVMODE eq '0'", true],
    ["ComputerDNSName eq 'PC1.contoso.com'", true],
    ["computerDnsName eq 'pc1.contoso.com'", false],
    ["rbacGroupId eq 712", true],
    ["rbacGroupId ne 712", false],
    ["osKind eq 'windows' and avMode eq '0'", true],
    ["osKind eq 'mac' and avMode eq '0'", false],
    ["osKind eq 'mac' or avMode eq '0'", true],
    ["osKind eq 'mac' or avMode eq '1' or rbacGroupId eq 712", true],
    ["(osKind eq 'mac' or avMode eq '0') and rbacGroupId eq 1", false],
    ["osKind eq 'mac' or (avMode eq '0' and rbacGroupId eq 712)", true],
    ["osKind eq 'mac' or avMode eq '0' and rbacGroupId eq 1", false],
    ["((avIsSignatureUpToDate eq 'True'))", true],
    ["quickScanResult eq ''", true],
    ["quickScanError eq null", true],
    ["quickScanResult eq null", false],
    ["osPlatform eq 'O''Brien''s'", true],
    ["avEngineVersion ne '1.1.1'", true],
  ])("%s → %s", (text, expected) => {
    expect(matches(parseFilter(text), device)).toBe(expected);
  });

  it("binds and tighter than or", () => {
    expect(parseFilter("osKind eq 'a' or avMode eq 'b' and rbacGroupId eq 1")).toEqual({
      kind: "or",
      left: { kind: "cmp", field: "osKind", op: "eq", value: "a" },
      right: {
        kind: "and",
        left: { kind: "cmp", field: "avMode", op: "eq", value: "b" },
        right: { kind: "cmp", field: "rbacGroupId", op: "eq", value: 1 },
      },
    });
  });

  it.each([
    ["rbacGroupName eq 'Servers'", /not filterable/],
    ["id eq 'abc'", /not filterable/],
    ["lastSeenTime eq '2024-01-01'", /not filterable/],
    ["avMode gt '0'", /'gt'.*not supported/],
    ["avMode in ('0','1')", /'in'.*not supported/],
    ["startswith(computerDnsName,'pc')", /function 'startswith'/],
    ["not avMode eq '0'", /not filterable/],
    ["avMode eq 0", /incompatible types/],
    ["rbacGroupId eq '712'", /incompatible types/],
    ["avMode eq", /literal was expected/],
    ["avMode eq '0' and", /property name was expected/],
    ["(avMode eq '0'", /'\)' expected/],
    ["avMode eq '0')", /expected 'and', 'or'/],
    ["avMode eq '0' AND osKind eq 'mac'", /expected 'and', 'or'/],
    ["", /property name was expected/],
  ])("rejects %s", (text, message) => {
    let caught: unknown;
    try {
      parseFilter(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ODataSyntaxError);
    expect((caught as Error).message).toMatch(message);
  });
});
