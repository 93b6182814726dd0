/** The pack's baseline: which file (environment, stack config, rule file; pinned or not), and failing closed on a bad one. */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import type { StackValidationPolicy } from "@pulumi/policy";
import type { Baseline } from "../../src/baseline";
import { buildAvHealthPolicies } from "../../src/policy";
import { packBaseline } from "../../src/policy/baseline";
import { fakeEngine, knownFleet, makeResult, makeRule, makeRuleResult, makeRuleSet, makePackProject, runStackPolicy, type FakeEngine, type PackProject } from "./fakes";

const REPORT = JSON.stringify({
  kind: "avhealth-report",
  schemaVersion: 2,
  evaluatedAt: "2026-11-20T12:00:00.000Z",
  snapshot: { digest: "sha256:before", tenantId: null },
  rules: [{ id: "signatures-current", status: "pass", percent: 99, failingDevices: [] }],
});

let project: PackProject;
beforeAll(() => {
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterAll(() => {
  jest.restoreAllMocks();
});
beforeEach(async () => {
  project = await makePackProject("avhealth-pack-baseline-", "name: demo-project\nruntime: nodejs\n");
  await fs.mkdir(path.join(project.tmp, "baselines"));
  await fs.writeFile(path.join(project.tmp, "baselines", "env.json"), REPORT);
  await fs.writeFile(path.join(project.tmp, "baselines", "config.json"), REPORT);
});
afterEach(async () => {
  await fs.rm(project.tmp, { recursive: true, force: true });
});

/** A fake engine that records the baseline each evaluation was given. */
function recordingEngine(rules = makeRuleSet([makeRule({ id: "signatures-current" }), makeRule({ id: "advice", enforcement: "advisory" })])): FakeEngine & { baselines: Array<Baseline | undefined> } {
  const engine = fakeEngine({ rules });
  const baselines: Array<Baseline | undefined> = [];
  return Object.assign(engine, {
    baselines,
    evaluate: async (...args: Parameters<FakeEngine["evaluate"]>) => {
      baselines.push(args[4]);
      engine.calls.evaluate += 1;
      return makeResult([makeRuleResult(), makeRuleResult({ id: "advice", enforcement: "advisory" })]);
    },
  });
}

async function runRules(env: Record<string, string>, engine: FakeEngine): Promise<Record<string, string[]>> {
  const { policies } = await buildAvHealthPolicies({ packDir: project.packDir, env, engine });
  const out: Record<string, string[]> = {};
  for (const policy of (policies as StackValidationPolicy[]).filter((p) => p.name !== "avhealth-reports")) {
    out[policy.name] = (await runStackPolicy(policy, [knownFleet("fleet", project.snapshotPath)])).map((v) => v.message);
  }
  return out;
}

describe("the pack's baseline", () => {
  it("takes AVHEALTH_BASELINE before stack config, relative to the project root", async () => {
    const engine = recordingEngine();
    const config = JSON.stringify({ "avhealth:baseline": "baselines/config.json" });
    await runRules({ ...project.env, AVHEALTH_BASELINE: "baselines/env.json", PULUMI_CONFIG: config }, engine);
    expect(engine.baselines.map((b) => b?.info.file)).toEqual([path.join("baselines", "env.json")]);
  });

  it("takes stack config avhealth:baseline when the environment names none", async () => {
    const engine = recordingEngine();
    await runRules({ ...project.env, PULUMI_CONFIG: JSON.stringify({ "avhealth:baseline": "baselines/config.json" }) }, engine);
    expect(engine.baselines.map((b) => b?.info.file)).toEqual([path.join("baselines", "config.json")]);
    expect(engine.baselines[0]?.rules.get("signatures-current")).toMatchObject({ status: "pass", percent: 99 });
  });

  it("reads a gzip-compressed baseline (avhealth-report.json.gz) to the same baseline as the plain one", async () => {
    await fs.writeFile(path.join(project.tmp, "baselines", "env.json.gz"), gzipSync(REPORT));
    const plain = recordingEngine();
    await runRules({ ...project.env, AVHEALTH_BASELINE: "baselines/env.json" }, plain);
    const compressed = recordingEngine();
    await runRules({ ...project.env, AVHEALTH_BASELINE: "baselines/env.json.gz" }, compressed);
    expect(compressed.baselines[0]?.info.file).toBe(path.join("baselines", "env.json.gz"));
    expect(compressed.baselines[0]?.rules).toEqual(plain.baselines[0]?.rules);
    expect(compressed.baselines[0]?.machineIds).toEqual(plain.baselines[0]?.machineIds);
  });

  it("evaluates without a baseline when nothing names one", async () => {
    const engine = recordingEngine();
    const violations = await runRules(project.env, engine);
    expect(engine.baselines).toEqual([undefined]);
    expect(violations).toEqual({ "signatures-current": [], advice: [] });
  });

  it.each([
    ["missing", null, "baseline baselines/missing.json does not exist"],
    ["not JSON", "{ nope", "baseline baselines/missing.json is not JSON"],
    ["not an avhealth report", JSON.stringify({ kind: "something-else" }), "baseline baselines/missing.json is not an avhealth report"],
    ["of a newer schema version", JSON.stringify({ kind: "avhealth-report", schemaVersion: 9 }), "baseline baselines/missing.json is report schema version 9"],
    ["a truncated gzip file", gzipSync("x".repeat(5000)).subarray(0, 20), "baseline baselines/missing.json is a damaged gzip file (unexpected end of file)"],
  ])("a baseline file that is %s fails every rule closed with the message, before any evaluation", async (_name, content, message) => {
    if (content !== null) await fs.writeFile(path.join(project.tmp, "baselines", "missing.json"), content);
    const engine = recordingEngine();
    const violations = await runRules({ ...project.env, AVHEALTH_BASELINE: "baselines/missing.json" }, engine);
    expect(engine.calls.evaluate).toBe(0);
    expect(Object.keys(violations)).toEqual(["signatures-current", "advice"]);
    for (const [id, messages] of Object.entries(violations)) {
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(`rule ${id} cannot be checked, so it fails closed: ${message}`);
      expect(messages[0]).toContain("(named by AVHEALTH_BASELINE) [BASELINE_INVALID]");
    }
  });
});

describe("packBaseline when the rule file pins the fleet", () => {
  it("uses only settings.baseline, relative to the rule file, and warns about the ignored overrides", async () => {
    await fs.writeFile(path.join(project.packDir, "pinned.json"), REPORT);
    const warnings: string[] = [];
    const rules = { ...makeRuleSet(), settings: { ...makeRuleSet().settings, baseline: "pinned.json" } };
    const load = packBaseline({
      env: { AVHEALTH_BASELINE: "baselines/env.json", PULUMI_CONFIG: JSON.stringify({ "avhealth:baseline": "baselines/config.json" }) },
      projectRoot: project.tmp,
      rules,
      rulesFile: path.join(project.packDir, "compliance.yaml"),
      pinned: true,
      warn: (message) => warnings.push(message),
      display: (file) => path.relative(project.tmp, file),
    });
    const state = await load();
    expect(state.kind === "loaded" ? state.baseline.info.file : state.kind).toBe(path.join("policies", "pinned.json"));
    expect(warnings).toEqual([
      "avhealth: AVHEALTH_BASELINE is ignored: the rule file pins the fleet (settings.fleet), so only its settings.baseline names a baseline",
      "avhealth: avhealth:baseline is ignored: the rule file pins the fleet (settings.fleet), so only its settings.baseline names a baseline",
    ]);
    expect(await load()).toBe(state);
  });

  it("has no baseline when pinned without settings.baseline, whatever the environment says", async () => {
    const load = packBaseline({ env: { AVHEALTH_BASELINE: "baselines/env.json" }, projectRoot: project.tmp, rules: makeRuleSet(), rulesFile: path.join(project.packDir, "compliance.yaml"), pinned: true });
    expect(await load()).toEqual({ kind: "none" });
  });
});

describe("a rule that failed on regression", () => {
  it("says so in the violation, with the figures", async () => {
    const { ruleViolation } = await import("../../src/policy/messages");
    const note = "regressed since the baseline: percent −0.50 points, 1 device newly failing (allowed 0)";
    const comparison = { baselineStatus: "pass" as const, baselinePercent: 99, percentDelta: -0.5, regressed: true, ratcheted: false, newlyFailing: [], fixed: [], waived: [], left: [] };
    const rule = makeRuleResult({ status: "fail", percent: 98.5, comparison, baselineNote: note });
    const fleet = { kind: "unknown" as const, origin: "resource" as const, name: "fleet", urn: undefined, reason: "" };
    const message = ruleViolation(fleet, rule, makeResult([rule]).report, { rulesFile: "compliance.yaml", minDevices: 1 });
    expect(message).toContain(`required ≥ 98% (1,000 passing, 0 failing). It ${note}.`);
    const plain = ruleViolation(fleet, { ...rule, comparison: { ...comparison, regressed: false } }, makeResult([rule]).report, { rulesFile: "compliance.yaml", minDevices: 1 });
    expect(plain).not.toContain("regressed");
  });
});
