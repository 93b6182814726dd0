import * as path from "node:path";
import { resolveComparisonPath, type PathSource } from "./resolve";

const RULES_DIR = path.resolve("/repo/policies");
const ruleFile = (value?: string): PathSource => ({ source: "settings.baseline", value, base: RULES_DIR });
const cli = (value?: string): PathSource => ({ source: "--baseline", value, base: path.resolve("/work") });
const env = (value?: string): PathSource => ({ source: "AVHEALTH_BASELINE", value, base: path.resolve("/project") });
const config = (value?: string): PathSource => ({ source: "avhealth:baseline", value, base: path.resolve("/project") });

describe("resolveComparisonPath", () => {
  it.each<[string, boolean, PathSource, PathSource[], string | null, string | null, string[]]>([
    // [case, pinned, rule file, overrides (precedence order), chosen path, chosen source, ignored]
    ["nothing set", false, ruleFile(), [cli(), env(), config()], null, null, []],
    ["rule file only, relative to the rule file", false, ruleFile("../baselines/last.json"), [env(), config()], "/repo/baselines/last.json", "settings.baseline", []],
    ["the first override wins over the rule file", false, ruleFile("r.json"), [cli(), env("e.json"), config("c.json")], "/project/e.json", "AVHEALTH_BASELINE", []],
    ["stack config when the environment is empty", false, ruleFile("r.json"), [env("  "), config("c.json")], "/project/c.json", "avhealth:baseline", []],
    ["the CLI flag first", false, ruleFile(), [cli("b.json"), env("e.json")], "/work/b.json", "--baseline", []],
    ["pinned: only the rule file, overrides ignored", true, ruleFile("r.json"), [env("e.json"), config("c.json")], "/repo/policies/r.json", "settings.baseline", ["AVHEALTH_BASELINE", "avhealth:baseline"]],
    ["pinned without a rule file setting: none, never an override", true, ruleFile(), [env("e.json")], null, null, ["AVHEALTH_BASELINE"]],
    ["an absolute value stays as it is", false, ruleFile("/abs/r.json"), [], "/abs/r.json", "settings.baseline", []],
  ])("%s", (_name, pinned, rules, overrides, chosenPath, chosenSource, ignored) => {
    const choice = resolveComparisonPath({ pinned, ruleFile: rules, overrides });
    expect(choice.chosen === null ? null : choice.chosen.path).toBe(chosenPath === null ? null : path.resolve(chosenPath));
    expect(choice.chosen?.source ?? null).toBe(chosenSource);
    expect(choice.ignored).toEqual(ignored);
  });
});
