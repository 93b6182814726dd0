import { isAvHealthError } from "../../errors";
import { loadRuleText } from "./load";
import { formatProblem, type Problem } from "./problems";

const RULE = (more: string) => `version: 1\nrules:\n  - id: r1\n    description: d\n${more}    require: { avMode: active }\n`;

function lines(text: string): string[] {
  try {
    loadRuleText(text, "rules.yaml");
  } catch (error) {
    if (isAvHealthError(error, "RULES_INVALID")) return (error.details.problems as Problem[]).map(formatProblem);
    throw error;
  }
  throw new Error("expected RULES_INVALID");
}

describe("the regression rule key and the baseline/history settings", () => {
  it("compiles regression, defaulting every part to off", () => {
    const rules = loadRuleText(RULE("    regression: { maxPercentDrop: 0.5, maxNewlyFailing: 0, ratchet: true }\n"), "rules.yaml");
    expect(rules.rules[0]?.regression).toEqual({ maxPercentDrop: 0.5, maxNewlyFailing: 0, ratchet: true });
    expect(loadRuleText(RULE("    regression: {}\n"), "rules.yaml").rules[0]?.regression).toEqual({ maxPercentDrop: null, maxNewlyFailing: null, ratchet: false });
    expect(loadRuleText(RULE(""), "rules.yaml").rules[0]?.regression).toEqual({ maxPercentDrop: null, maxNewlyFailing: null, ratchet: false });
  });

  it.each([
    ["negative maxPercentDrop", "    regression: { maxPercentDrop: -1 }\n", "rules.yaml:5:35 rules[0].regression.maxPercentDrop: must be between 0 and 100, got -1"],
    ["fractional maxNewlyFailing", "    regression: { maxNewlyFailing: 1.5 }\n", "rules.yaml:5:36 rules[0].regression.maxNewlyFailing: expected an integer"],
    ["ratchet not a boolean", "    regression: { ratchet: yes }\n", "rules.yaml:5:28 rules[0].regression.ratchet: expected true or false, got string \"yes\""],
    ["unknown key", "    regression: { maxDrop: 1 }\n", 'rules.yaml:5:19 rules[0].regression.maxDrop: unknown key "maxDrop"; allowed here: maxPercentDrop, maxNewlyFailing, ratchet'],
    ["not a map", "    regression: true\n", "rules.yaml:5:17 rules[0].regression: expected a map"],
  ])("%s is a located problem", (_name, more, expected) => {
    const found = lines(RULE(more));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it("exposes settings.baseline and settings.history as written", () => {
    const rules = loadRuleText(`version: 1\nsettings:\n  baseline: ../reports/last.json\n  history: history.ndjson\n${RULE("").replace("version: 1\n", "")}`, "rules.yaml");
    expect(rules.settings).toMatchObject({ baseline: "../reports/last.json", history: "history.ndjson" });
    expect(loadRuleText(RULE(""), "rules.yaml").settings).toMatchObject({ baseline: null, history: null });
  });

  it("rejects an empty or non-string baseline setting, located", () => {
    expect(lines(`version: 1\nsettings:\n  baseline: ""\n${RULE("").replace("version: 1\n", "")}`)[0]).toMatch(/^rules\.yaml:3:13 settings\.baseline: /);
    expect(lines(`version: 1\nsettings:\n  history: 5\n${RULE("").replace("version: 1\n", "")}`)[0]).toMatch(/^rules\.yaml:3:12 settings\.history: expected a string/);
  });
});
