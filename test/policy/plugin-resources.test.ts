/**
 * The gate treats DeviceAvHealth from the `avhealth` provider plugin (`avhealth:index:DeviceAvHealth`) exactly like
 * the dynamic provider's: same reading, same messages, same fail-closed rules, and pins ignore both.
 */
import * as fs from "node:fs/promises";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import type { PackFetch } from "../../src/policy/ownSnapshot";
import { DEVICE_AV_HEALTH_TYPES, PLUGIN_DEVICE_AV_HEALTH_TYPE, findFleets } from "../../src/policy/resources";
import { RESOURCE_TOKEN } from "../../provider/plugin/schema";
import { DIGEST, fakeEngine, knownFleet, makeHeader, makePackProject, makeResult, makePinnedRuleSet, makePins, makeRuleResult, makeRuleSet, runStackPolicy, stackResource, TYPE } from "./fakes";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CREDENTIALS = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: "app-id", AZURE_CLIENT_SECRET: "canary-plugin-6e1f" };
const FAILED = makeResult([makeRuleResult({ status: "fail", percent: 90, counts: { inScope: 10, pass: 9, fail: 1, unknown: 0, waived: 0, counted: 10, passing: 9, failing: 1 } })]);

let tmp: string;
let packDir: string;
let snapshotPath: string;
let env: Record<string, string>;

beforeEach(async () => {
  ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-plugin-fleet-", "name: demo-project\nruntime: yaml\n"));
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A fleet resource as the plugin registers it: the same props under the plugin's type token and URN. */
function asPlugin(resource: PolicyResource): PolicyResource {
  return { ...resource, type: PLUGIN_DEVICE_AV_HEALTH_TYPE, urn: resource.urn.replace(TYPE, PLUGIN_DEVICE_AV_HEALTH_TYPE) } as PolicyResource;
}

function fakeFetch() {
  const calls: Array<Parameters<PackFetch>[0]> = [];
  const fetchSnapshot: PackFetch = async (call) => {
    calls.push(call);
    await fs.writeFile(call.outPath, "snapshot");
    const tri = { true: 0, false: 0, unknown: 0 };
    const header = makeHeader({ method: "files", deviceCount: 1234, source: { apiUrl: "https://api.securitycenter.microsoft.com", tenantId: TENANT, filter: null } });
    return { header, summary: { deviceCount: 1234, byAvMode: {}, bySignatureUpToDate: tri, byEngineUpToDate: tri, byPlatformUpToDate: tri, byOsKind: {}, byRbacGroup: {}, stale: 0 }, path: call.outPath };
  };
  return { calls, fetchSnapshot };
}

async function gate(extraEnv: Record<string, string>, resources: PolicyResource[], rules = makeRuleSet()) {
  const fetch = fakeFetch();
  const engine = fakeEngine({ result: FAILED, rules });
  const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, ...extraEnv }, engine, fetchSnapshot: fetch.fetchSnapshot });
  const rule = (policies as StackValidationPolicy[]).find((p) => p.name === "signatures-current") as StackValidationPolicy;
  return { violations: await runStackPolicy(rule, resources), fetch, engine };
}

it("knows the plugin's type token as the schema declares it", () => {
  expect(PLUGIN_DEVICE_AV_HEALTH_TYPE).toBe(RESOURCE_TOKEN);
  expect(DEVICE_AV_HEALTH_TYPES).toEqual([TYPE, RESOURCE_TOKEN]);
});

it("reads a plugin resource exactly as a dynamic one, URN aside", () => {
  const dynamic = findFleets([knownFleet("fleet", snapshotPath)]);
  const plugin = findFleets([asPlugin(knownFleet("fleet", snapshotPath))]);
  expect(plugin).toHaveLength(1);
  expect(plugin[0].urn).toBe(`urn:pulumi:dev::proj::${RESOURCE_TOKEN}::fleet`);
  expect({ ...plugin[0], urn: "" }).toEqual({ ...dynamic[0], urn: "" });
  expect(plugin[0]).toMatchObject({ kind: "known", origin: "resource", snapshot: { digest: DIGEST, path: snapshotPath, complete: true } });
});

it("fleetSource resources: gates on the plugin resource, reports on its URN, and fetches nothing", async () => {
  const fleet = asPlugin(knownFleet("fleet", snapshotPath));
  const { violations, fetch, engine } = await gate({ ...CREDENTIALS, AVHEALTH_FLEET_SOURCE: "resources" }, [stackResource(), fleet]);
  expect(fetch.calls).toHaveLength(0);
  expect(engine.calls.opened).toEqual([snapshotPath]);
  expect(violations).toHaveLength(1);
  expect(violations[0].urn).toBe(fleet.urn);
  expect(violations[0].message).toMatch(/^DeviceAvHealth "fleet": rule signatures-current failed: 90\.00% of 10 counted devices comply/);
});

it("fails closed on a plugin resource whose snapshot is incomplete or missing, like a dynamic one", async () => {
  const missing = asPlugin(knownFleet("fleet", snapshotPath, { snapshot: undefined }));
  const { violations } = await gate({ ...CREDENTIALS, AVHEALTH_FLEET_SOURCE: "resources" }, [stackResource(), missing]);
  expect(violations).toHaveLength(1);
  expect(violations[0].urn).toBe(missing.urn);
  expect(violations[0].message).toContain("it has no snapshot output");
});

it("pins ignore the plugin resource as they ignore a dynamic one: the pack takes its own snapshot", async () => {
  const pinned = makePinnedRuleSet(makePins(TENANT));
  const { violations, fetch } = await gate({ ...CREDENTIALS, AVHEALTH_FLEET_SOURCE: "resources" }, [stackResource(), asPlugin(knownFleet("fleet", snapshotPath))], pinned);
  expect(fetch.calls).toHaveLength(1);
  expect(violations[0].message).toMatch(new RegExp(`^the pack's own snapshot of tenant ${TENANT} \\(method files`));
});
