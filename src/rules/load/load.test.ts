import * as path from "node:path";
import { isAvHealthError } from "../../errors";
import { loadRuleFile, loadRuleText } from "./load";
import { formatProblem, type Problem } from "./problems";

const FILES = path.join(__dirname, "../../../test/rules/files");

function problemsOf(text: string): Problem[] {
  try {
    loadRuleText(text, "rules.yaml");
  } catch (error) {
    if (isAvHealthError(error, "RULES_INVALID")) return error.details.problems as Problem[];
    throw error;
  }
  throw new Error("expected RULES_INVALID");
}

function lines(text: string): string[] {
  return problemsOf(text).map(formatProblem);
}

/** A valid rule file with `rule` as its only rule and optional extra top-level text. */
function withRule(rule: string, extra = ""): string {
  return `version: 1\nscopes:\n  servers: { osKind: windows }\nrules:\n${rule}\n${extra}`;
}

describe("loadRuleFile", () => {
  it("reports five different mistakes as five located problems", async () => {
    const file = path.join(FILES, "five-mistakes.yaml");
    const error = await loadRuleFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAvHealthError(error, "RULES_INVALID")).toBe(true);
    if (!isAvHealthError(error)) return;
    expect((error.details.problems as Problem[]).map(formatProblem)).toEqual([
      `${file}:3:15 settings.staleAfter: bad duration "7 days"; write an integer followed by m, h, d or w (30m, 12h, 7d, 2w)`,
      `${file}:10:15 rules[0].severity: "hgih" is not allowed; use one of low, medium, high, critical`,
      `${file}:15:12 rules[1].scope: undefined scope "server" (did you mean "servers"?); defined scopes: servers`,
      `${file}:17:33 rules[1].require.avPlatformVersion.gte: version values must be quoted strings: write "4.18" with quotes (YAML reads 4.18 as a number, so 4.10 would become 4.1)`,
      `${file}:21:17 rules[2].require.avMode: unknown operator "inn" (did you mean "in"?)`,
    ]);
    expect(error.message).toContain("has 5 problems");
    expect(error.message).toContain(`${file}:21:17 rules[2].require.avMode`);
  });

  it("compiles a valid file and exposes what the policy pack needs", async () => {
    const rules = await loadRuleFile(path.join(__dirname, "../../../examples/rules/compliance.yaml"));
    expect(rules.rules.map((r) => r.id)).toEqual([
      "server-signatures-current",
      "signatures-current",
      "engine-and-platform-current",
      "windows-active-mode",
      "quick-scan-weekly",
      "full-scan-monthly",
      "platform-minimum",
      "cloud-protection-on",
    ]);
    const first = rules.rules[0];
    expect(first).toMatchObject({ severity: "critical", enforcement: "mandatory", threshold: { minPercent: 98, maxFailing: 25 }, scopeName: "servers" });
    expect(first?.location.line).toBe(32);
    expect(rules.rules[6]?.threshold).toEqual({ minPercent: 100, maxFailing: null });
    expect(rules.settings).toMatchObject({ staleAfter: "7d", staleAfterMs: 7 * 86_400_000, unknown: "fail", minDevices: 1 });
    expect(rules.exceptions.map((e) => [e.rule, e.expires, new Date(e.expiresAtMs).toISOString()])).toEqual([
      ["windows-active-mode", "2026-06-30", "2026-06-30T23:59:59.999Z"],
      ["*", "2026-12-31", "2026-12-31T23:59:59.999Z"],
    ]);
  });

  it("says how to fix a missing file", async () => {
    const error = await loadRuleFile(path.join(FILES, "missing.yaml")).catch((e: unknown) => e);
    expect(isAvHealthError(error, "RULES_INVALID")).toBe(true);
    expect((error as Error).message).toContain("check the path given to --rules");
  });
});

const RULE = (require: string, more = "") => `  - id: r1\n    description: d\n${more}    require:\n${require}`;

describe("loadRuleText semantic checks", () => {
  it.each([
    ["unknown field", RULE("      avModee: active"), 'rules[0].require.avModee: unknown field "avModee" (did you mean "avMode"?)', "8:7"],
    [
      "unknown field, nothing close: the allowed ones listed",
      RULE("      tamperProtection: true"),
      'rules[0].require.tamperProtection: unknown field "tamperProtection"; allowed here: machineId, computerDnsName, osKind, osPlatform, osVersion, avMode,',
      "8:7",
    ],
    ["operator not allowed on kind", RULE("      osPlatform: { gt: Windows10 }"), 'operator "gt" is not allowed on string field osPlatform', "8:21"],
    ["range op on tri-state", RULE("      avIsSignatureUpToDate: { lte: true }"), "not allowed on tristate field", "8:32"],
    ["raw enum code", RULE('      avMode: "0"'), 'rules[0].require.avMode: "0" is a raw avMode code; write the normalized name "active"', "8:15"],
    ["quoted tri-state", RULE('      avIsEngineUpToDate: "true"'), "write true or false without quotes", "8:27"],
    ["bad time value", RULE("      lastSeenTime: { gte: yesterday }"), 'rules[0].require.lastSeenTime.gte: "yesterday" is not a valid time', "8:28"],
    ["string for rbacGroupId", RULE('      rbacGroupId: "12"'), "integer values", "8:20"],
    ["bad duration", RULE("      quickScanTime: { within: 7days }"), 'bad duration "7days"', "8:32"],
    ["null value", RULE("      quickScanTime:"), "to match a missing value write quickScanTime: { exists: false }", "8:7"],
    ["list as value", RULE("      avMode: [active]"), "write avMode: { in: [...] }", "8:15"],
    ["empty all", RULE("      all: []"), "all takes a non-empty list", "8:12"],
    ["regex that is not RE2 syntax", RULE('      computerDnsName: { regex: "(?=x)y" }'), "regex is not valid RE2 syntax: invalid or unsupported Perl syntax", "8:33"],
    ["regex that does not compile", RULE('      computerDnsName: { regex: "(x" }'), "regex is not valid RE2 syntax: missing closing )", "8:33"],
    ["long regex", RULE(`      computerDnsName: { regex: "${"a".repeat(201)}" }`), "limit is 200", "8:33"],
    ["undefined scope", RULE("      avMode: active", "    scope: prod\n"), 'undefined scope "prod"', "7:12"],
    ["bad rule id", RULE("      avMode: active").replace("id: r1", "id: Bad_Id"), 'rule id "Bad_Id" must be lower-case', "5:9"],
    ["minPercent over 100", RULE("      avMode: active", "    threshold: { minPercent: 100.5 }\n"), "must be between 0 and 100, got 100.5", "7:30"],
    ["negative maxFailing", RULE("      avMode: active", "    threshold: { maxFailing: -1 }\n"), "must be 0 or more, got -1", "7:30"],
    ["fractional maxFailing", RULE("      avMode: active", "    threshold: { maxFailing: 1.5 }\n"), "expected an integer", "7:30"],
    ["unknown rule key", RULE("      avMode: active", "    enforcment: mandatory\n"), 'unknown key "enforcment" (did you mean "enforcement"?)', "7:5"],
    ["empty condition", RULE("      {}").replace("require:\n      {}", "require: {}"), "empty condition", "7:14"],
  ])("%s", (_name, rule, message, at) => {
    const found = lines(withRule(rule));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
    expect(found[0]).toMatch(new RegExp(`^rules\\.yaml:${at} `));
  });

  it("finds duplicate ids, unknown exception rules, waivers without devices or scope, and bad expiry dates", () => {
    const text = `version: 1
rules:
  - { id: a, description: d, require: { avMode: active } }
  - { id: a, description: d, require: { avMode: active } }
exceptions:
  - { rule: b, devices: [x], reason: r, expires: 2026-01-01 }
  - { rule: a, reason: r, expires: 2026-01-01 }
  - { rule: a, devices: [x], reason: r, expires: 2026-13-01 }
  - { rule: a, devices: [x], reason: "  ", expires: "2026-01-01T10:00:00" }
`;
    expect(lines(text)).toEqual([
      'rules.yaml:4:11 rules[1].id: duplicate rule id "a" (also rules[0]); rule ids must be unique',
      'rules.yaml:6:13 exceptions[0].rule: unknown rule "b" (did you mean "a"?); use a rule id from this file or "*" for every rule',
      "rules.yaml:7:5 exceptions[1]: an exception needs devices (names or machine ids), a scope, or both",
      'rules.yaml:8:50 exceptions[2].expires: expires "2026-13-01" is not a valid date; write a date (2026-12-31) or a timestamp with a zone (2026-12-31T18:00:00Z)',
      "rules.yaml:9:38 exceptions[3].reason: must not be blank: say why the devices are waived",
      'rules.yaml:9:53 exceptions[3].expires: expires "2026-01-01T10:00:00" is not a valid date; write a date (2026-12-31) or a timestamp with a zone (2026-12-31T18:00:00Z)',
    ]);
  });

  it("finds duplicate keys and forbidden keys anywhere, without converting the document", () => {
    expect(lines("version: 1\nversion: 1\nrules: []\n")).toEqual(['rules.yaml:2:1 version: duplicate key "version" (first at line 1); keep one']);
    expect(lines(withRule(RULE("      constructor: x")))).toEqual(['rules.yaml:8:7 rules[0].require.constructor: "constructor" is never a valid key']);
    expect(lines("version: 1\nrules:\n  - prototype: 1\n")).toEqual(['rules.yaml:3:5 rules[0].prototype: "prototype" is never a valid key']);
  });

  it("reports structural problems of the file as a whole", () => {
    expect(lines("")).toEqual(["rules.yaml:1:1 (document): the file is empty; start with version: 1 and a rules: list"]);
    expect(lines("version: 2\nrules: []\n")).toEqual([
      "rules.yaml:1:10 version: unsupported version 2; this file format is version: 1",
      "rules.yaml:2:8 rules: at least one rule is required",
    ]);
    expect(lines("version: 1\n")).toEqual(['rules.yaml:1:1 (document): missing required key "rules"']);
    expect(lines("version: 1\nrules: [\n")[0]).toMatch(/^rules\.yaml:\d+:\d+ \(document\): YAML: /);
  });

  it("reports a value of the wrong type once, not once per keyword", () => {
    expect(lines('version: "1"\nrules: [{ id: a, description: d, severity: 3, require: { avMode: active } }]\nsettings: { staleAfter: 7 }\n')).toEqual([
      'rules.yaml:1:10 version: expected a number, got string "1"',
      "rules.yaml:2:44 rules[0].severity: expected a string, got number 3",
      'rules.yaml:3:25 settings.staleAfter: bad duration 7; write an integer followed by m, h, d or w (30m, 12h, 7d, 2w)',
    ]);
  });

  it("accepts both scope shapes, rejects others, and applies defaults", () => {
    const ok = loadRuleText(withRule(RULE("      avMode: active", "    scope: servers\n") + "\n" + RULE("      avMode: active", "    scope: { osKind: linux }\n").replace("r1", "r2")), "f.yaml");
    expect(ok.rules.map((r) => [r.id, r.scopeName, r.scopeIndex])).toEqual([
      ["r1", "servers", 0],
      ["r2", null, 1],
    ]);
    expect(ok.rules[0]).toMatchObject({ severity: "medium", enforcement: "advisory" });
    expect(lines(withRule(RULE("      avMode: active", "    scope: 5\n")))).toEqual(["rules.yaml:7:12 rules[0].scope: expected a scope name or a selector map, got number 5"]);
  });

  it("caps condition nesting", () => {
    let condition = "{ avMode: active }";
    for (let i = 0; i < 40; i++) condition = `{ not: ${condition} }`;
    const found = lines(withRule(RULE(`      all: [${condition}]`)));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("conditions nested deeper than 32 levels");
  });
});
