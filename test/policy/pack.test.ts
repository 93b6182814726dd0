import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as proxy from "@pulumi/policy/proxy";
import { buildAvHealthPolicies } from "../../src/policy";
import { ErrorCodes, AvHealthError } from "../../src/errors";
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  DIGEST,
  failing,
  fakeEngine,
  fleetResource,
  knownFleet,
  makeHeader,
  makeResult,
  makeRule,
  makeRuleResult,
  makeRuleSet,
  makePackProject,
  runStackPolicy,
} from "./fakes";

// How the pack's deserializer marks an unknown object (internal to @pulumi/policy, so not in its typings).
const { unknownObjectValue } = proxy as unknown as { unknownObjectValue: string };

let tmp: string;
let packDir: string;
let snapshotPath: string;
let env: Record<string, string>;

beforeAll(() => {
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterAll(() => {
  jest.restoreAllMocks();
});

beforeEach(async () => {
  ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-pack-", "name: demo-project\nruntime: nodejs\n"));
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function byName(policies: readonly unknown[], name: string): StackValidationPolicy {
  const found = (policies as StackValidationPolicy[]).find((policy) => policy.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
}

describe("the pack's policies", () => {
  it("declares one stack policy per rule, named by id with its enforcement and severity, then the reports policy", async () => {
    const rules = makeRuleSet([
      makeRule({ id: "a-mandatory", enforcement: "mandatory", severity: "critical" }),
      makeRule({ id: "b-advisory", enforcement: "advisory", severity: "low" }),
      makeRule({ id: "c-disabled", enforcement: "disabled", severity: "medium" }),
    ]);
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ rules }) });
    const shape = (policies as StackValidationPolicy[]).map((p) => [p.name, p.enforcementLevel, p.severity, typeof p.validateStack]);
    expect(shape).toEqual([
      ["a-mandatory", "mandatory", "critical", "function"],
      ["b-advisory", "advisory", "low", "function"],
      ["c-disabled", "disabled", "medium", "function"],
      ["avhealth-reports", "advisory", undefined, "function"],
    ]);
  });

  it("reports nothing when every rule passes", async () => {
    const engine = fakeEngine();
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", snapshotPath)]);
    expect(violations).toEqual([]);
    expect(engine.calls.opened).toEqual([snapshotPath]);
  });

  it("names the resource, the percent against the threshold, the counts and the first failing devices", async () => {
    const result = makeResult([
      makeRuleResult({
        status: "fail",
        percent: 91.2,
        counts: { inScope: 1000, pass: 912, fail: 85, unknown: 3, waived: 2, counted: 1000, passing: 912, failing: 88 },
        failingDevices: failing(88),
      }),
    ]);
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ result }) });
    const fleet = knownFleet("prod-fleet", snapshotPath);
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [fleet]);
    expect(violations).toHaveLength(1);
    const [violation] = violations;
    expect(violation.urn).toBe(fleet.urn);
    expect(violation.message).toContain('DeviceAvHealth "prod-fleet"');
    expect(violation.message).toContain("rule signatures-current failed");
    expect(violation.message).toContain("91.20% of 1,000 counted devices comply, required ≥ 98%");
    expect(violation.message).toContain("912 passing, 88 failing: 85 fail, 3 unknown, 2 waived");
    expect(violation.message).toContain("host-0000.contoso.com (avIsSignatureUpToDate is false)");
    expect(violation.message).toContain("host-0004.contoso.com");
    expect(violation.message).not.toContain("host-0005.contoso.com");
    expect(violation.message).toContain("and 83 more");
  });

  it("keeps a hostile device name on one line", async () => {
    const devices = failing(1).map((d) => ({ ...d, computerDnsName: "evil\nerror: forged line" }));
    const result = makeResult([makeRuleResult({ status: "fail", percent: 50, failingDevices: devices })]);
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ result }) });
    const [violation] = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", snapshotPath)]);
    expect(violation.message).not.toContain("\n");
    expect(violation.message).toContain("evil␊error: forged line");
  });

  it("fails closed on an incomplete snapshot, saying the data is incomplete", async () => {
    const result = makeResult([makeRuleResult({ status: "indeterminate" })], false);
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ result, header: makeHeader({ complete: false }) }) });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", snapshotPath)]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/rule signatures-current cannot pass: the data is incomplete/);
  });

  it("fails closed when the snapshot is unknown during preview instead of letting the pack downgrade it", async () => {
    const engine = fakeEngine();
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine });
    const unknown = fleetResource("fleet", { snapshot: unknownObjectValue, deviceCount: 5 });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [unknown]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/cannot be checked, so it fails closed: its snapshot is not known during this preview/);
    expect(engine.calls.evaluate).toBe(0);
  });

  it("fails closed when the snapshot file is not on this machine", async () => {
    const engine = fakeEngine();
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", path.join(tmp, "gone.ndjson.gz"))]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/is not on this machine/);
    expect(engine.calls.evaluate).toBe(0);
  });

  it("finds the snapshot in the local cache by digest when state was written on another machine", async () => {
    const cached = path.join(env.AVHEALTH_CACHE_DIR, "snapshots", `${DIGEST.slice(7)}.ndjson.gz`);
    await fs.mkdir(path.dirname(cached), { recursive: true });
    await fs.writeFile(cached, "x");
    const engine = fakeEngine();
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", "/other/machine/snap.ndjson.gz")]);
    expect(violations).toEqual([]);
    expect(engine.calls.opened).toEqual([cached]);
  });

  it("refuses a snapshot file whose digest is not the resource's", async () => {
    const engine = fakeEngine({ header: makeHeader({ digest: `sha256:${"cd".repeat(32)}` }) });
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", snapshotPath)]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/holds sha256:cdcdcdcdcdcd…, not the resource's sha256:abababababab…/);
    expect(engine.calls.evaluate).toBe(0);
  });

  it("fails closed when the fleet source is resources and the stack has no DeviceAvHealth resource", async () => {
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, AVHEALTH_FLEET_SOURCE: "resources" }, engine: fakeEngine() });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), []);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/no DeviceAvHealth resource/);
    expect(violations[0].urn).toBeUndefined();
  });

  it("says a rule disabled in the file was not evaluated when policy config turns it on", async () => {
    const result = makeResult([makeRuleResult({ status: "disabled", enforcement: "disabled" })]);
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ result }) });
    const violations = await runStackPolicy(byName(policies, "signatures-current"), [knownFleet("fleet", snapshotPath)]);
    expect(violations[0].message).toMatch(/is disabled in policies\/compliance.yaml, so it was not evaluated/);
  });

  it("evaluates once per stack validation, shared by every rule policy, and afresh after the reports are written", async () => {
    const rules = makeRuleSet([makeRule({ id: "r1" }), makeRule({ id: "r2" }), makeRule({ id: "r3" })]);
    const result = makeResult(["r1", "r2", "r3"].map((id) => makeRuleResult({ id })));
    const engine = fakeEngine({ rules, result });
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine });
    const resources = [knownFleet("fleet", snapshotPath)];
    for (const policy of policies as StackValidationPolicy[]) await runStackPolicy(policy, resources);
    expect(engine.calls.evaluate).toBe(1);
    for (const policy of policies as StackValidationPolicy[]) await runStackPolicy(policy, resources);
    expect(engine.calls.evaluate).toBe(2);
  });
});

describe("an unusable rule file", () => {
  it("becomes one mandatory policy that reports every located load error", async () => {
    const problems = [
      { file: "compliance.yaml", line: 14, col: 7, path: "rules[2].require.avMode", message: 'unknown operator "inn"' },
      { file: "compliance.yaml", line: 20, col: 3, path: "rules[3]", message: 'unknown key "treshold"' },
    ];
    const error = new AvHealthError(ErrorCodes.RULES_INVALID, "2 problems", { details: { problems } });
    const { policies, rules } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ rules: error }) });
    expect(rules).toBeUndefined();
    expect((policies as StackValidationPolicy[]).map((p) => [p.name, p.enforcementLevel])).toEqual([["avhealth-rules-invalid", "mandatory"]]);
    const violations = await runStackPolicy(policies[0] as StackValidationPolicy, []);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toContain('compliance.yaml:14:7 rules[2].require.avMode: unknown operator "inn"');
    expect(violations[0].message).toContain('compliance.yaml:20:3 rules[3]: unknown key "treshold"');
    expect(violations[0].message).toContain("avhealth validate --rules policies/compliance.yaml");
  });

  it("explains a missing default file", async () => {
    const enoent = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    const missing = new AvHealthError(ErrorCodes.RULES_INVALID, "cannot read rule file", { cause: enoent, details: { file: "x" } });
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ rules: missing }) });
    const [violation] = await runStackPolicy(policies[0] as StackValidationPolicy, []);
    expect(violation.message).toContain(`${path.join(packDir, "compliance.yaml")} does not exist: create it`);
  });

  it("refuses rule ids the pack reserves for itself", async () => {
    const rules = makeRuleSet([makeRule({ id: "avhealth-reports" })]);
    const { policies } = await buildAvHealthPolicies({ packDir, env, engine: fakeEngine({ rules }) });
    expect((policies as StackValidationPolicy[]).map((p) => p.name)).toEqual(["avhealth-rules-invalid"]);
    const [violation] = await runStackPolicy(policies[0] as StackValidationPolicy, []);
    expect(violation.message).toContain('rule id "avhealth-reports" is reserved');
  });
});

describe("which rule file", () => {
  async function chosen(extraEnv: Record<string, string>, rulesFile?: string): Promise<string> {
    const loaded: string[] = [];
    const engine = { ...fakeEngine(), loadRules: async (file: string) => (loaded.push(file), makeRuleSet()) };
    await buildAvHealthPolicies({ packDir, env: { ...env, ...extraEnv }, engine, rulesFile });
    return loaded[0];
  }

  it("defaults to compliance.yaml beside the pack", async () => {
    expect(await chosen({})).toBe(path.join(packDir, "compliance.yaml"));
  });

  it("takes stack config avhealth:rulesFile, relative to the pack", async () => {
    expect(await chosen({ PULUMI_CONFIG: JSON.stringify({ "avhealth:rulesFile": "rules/prod.yaml" }) })).toBe(path.join(packDir, "rules", "prod.yaml"));
  });

  it("prefers AVHEALTH_RULES_FILE over stack config and the option", async () => {
    const config = JSON.stringify({ "avhealth:rulesFile": "rules/prod.yaml" });
    expect(await chosen({ PULUMI_CONFIG: config, AVHEALTH_RULES_FILE: "/abs/rules.yaml" }, "other.yaml")).toBe("/abs/rules.yaml");
  });

  it("uses the option as the pack's default", async () => {
    expect(await chosen({}, "strict.yaml")).toBe(path.join(packDir, "strict.yaml"));
  });
});
