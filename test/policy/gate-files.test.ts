/**
 * What the gated stack can name (the rule file, the step summary, the history, the report directory, resource
 * names) never moves the gate: the pack's own rule file is never bypassed nor written, and names are escaped.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import { AvHealthError, ErrorCodes } from "../../src/errors";
import { fakeEngine, fleetResource, knownFleet, makePackProject, makeRuleSet, runStackPolicy } from "./fakes";
import { captureStderr } from "../helpers/stderr";

const RULE_TEXT = "version: 1\nrules: [] # the pack's own rules\n";

let tmp: string;
let packDir: string;
let snapshotPath: string;
let env: Record<string, string>;
let logged: string[];

beforeEach(async () => {
  ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-gate-files-", "name: demo-project\nruntime: yaml\n"));
  await fs.writeFile(path.join(packDir, "compliance.yaml"), RULE_TEXT);
  logged = captureStderr();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

function byName(policies: readonly unknown[], name: string): StackValidationPolicy {
  const found = (policies as StackValidationPolicy[]).find((policy) => policy.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
}

describe("a pack whose own rule file does not load", () => {
  it("fails closed with the file's located errors and never uses a rule file the stack names", async () => {
    const lenient = path.join(tmp, "lenient.yaml");
    await fs.writeFile(lenient, "version: 1\nrules: []\n");
    const own = path.join(packDir, "compliance.yaml");
    const loaded: string[] = [];
    const engine = fakeEngine();
    engine.loadRules = async (file) => {
      loaded.push(file);
      if (file === own) {
        throw new AvHealthError(ErrorCodes.RULES_INVALID, "invalid", { details: { problems: [{ file: own, line: 3, col: 5, path: "rules[0].require", message: "unknown operator" }] } });
      }
      return makeRuleSet();
    };
    for (const stackSetting of [{ AVHEALTH_RULES_FILE: lenient }, { PULUMI_CONFIG: JSON.stringify({ "avhealth:rulesFile": lenient }) }]) {
      loaded.length = 0;
      const { policies, rules } = await buildAvHealthPolicies({ packDir, env: { ...env, ...stackSetting }, engine });
      expect(loaded).toEqual([own]);
      expect(rules).toBeUndefined();
      expect((policies as StackValidationPolicy[]).map((p) => p.name)).toEqual(["avhealth-rules-invalid"]);
      const [violation] = await runStackPolicy(byName(policies, "avhealth-rules-invalid"), []);
      expect(violation.message).toContain(`${own}:3:5 rules[0].require: unknown operator`);
      expect(violation.message).toContain(`names ${lenient}; it is not used instead: the pack's own rule file must load`);
    }
  });
});

describe("nothing the pack writes touches the pack's own files", () => {
  const own = () => path.join(packDir, "compliance.yaml");

  async function run(extraEnv: Record<string, string>, config: object = {}) {
    const engine = fakeEngine();
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, ...extraEnv }, engine });
    await runStackPolicy(byName(policies, "avhealth-reports"), [knownFleet("fleet", snapshotPath)], config);
    return engine;
  }

  it("GITHUB_STEP_SUMMARY naming the rule file (directly, by symlink or hard link) appends nothing to it", async () => {
    const symlink = path.join(tmp, "summary-link.md");
    const hardlink = path.join(tmp, "summary-hard.md");
    await fs.symlink(own(), symlink);
    await fs.link(own(), hardlink);
    for (const target of [own(), symlink, hardlink]) {
      await run({ GITHUB_STEP_SUMMARY: target });
      expect(await fs.readFile(own(), "utf8")).toBe(RULE_TEXT);
    }
    expect(logged.join("")).toContain("GITHUB_STEP_SUMMARY not written");
    expect(logged.join("")).toContain("is a link to one of the policy pack's own files");
  });

  it("a history or report directory in the pack is refused, and the reports elsewhere still go out", async () => {
    await run({ AVHEALTH_HISTORY: own() });
    expect(await fs.readFile(own(), "utf8")).toBe(RULE_TEXT);
    expect(logged.join("")).toContain("history not recorded");

    const engine = await run({}, { dir: packDir });
    expect(engine.calls.writeReports).toEqual([]);
    expect((await fs.readdir(packDir)).sort()).toEqual(["compliance.yaml"]);
    expect(logged.join("")).toContain(`reports for DeviceAvHealth "fleet" not written: ${path.join(packDir, "avhealth-report.json")} lies in the policy pack's directory`);
  });
});

describe("the step summary", () => {
  it("escapes resource names and problems: a stack cannot print its own verdict", async () => {
    const summary = path.join(tmp, "summary.md");
    const engine = fakeEngine();
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, GITHUB_STEP_SUMMARY: summary }, engine });
    const spoof = "<h2>gate: ✅ PASS</h2>";
    // One resource without a snapshot: its name and problem reach the summary.
    await runStackPolicy(byName(policies, "avhealth-reports"), [knownFleet("fleet", snapshotPath), fleetResource(spoof, { schemaVersion: 1, deviceCount: 0, summary: {}, snapshot: { digest: "sha256:nope", path: "**[PASS](https://x)**" } })]);
    const text = await fs.readFile(summary, "utf8");
    expect(text).not.toContain("<h2>");
    expect(text).toContain("&lt;h2&gt;gate: ✅ PASS&lt;/h2&gt;");
    expect(text).not.toMatch(/(^|[^\\])\[PASS\]/);
  });
});

describe("violation messages", () => {
  it("show control characters in stack-chosen names and paths instead of printing them", async () => {
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine() });
    const rule = (policies as StackValidationPolicy[])[0];
    const forged = "fleet\nsignatures-current: passed";
    const violations = await runStackPolicy(rule, [fleetResource(forged, { schemaVersion: 1, deviceCount: 0, summary: {}, snapshot: { digest: "sha256:nope", path: "/x\n✅ gate passed" } })]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).not.toContain("\n");
    expect(violations[0].message).toContain('DeviceAvHealth "fleet␊signatures-current: passed"');
  });
});
