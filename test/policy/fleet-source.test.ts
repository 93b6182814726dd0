/**
 * Where the pack gets its fleet (README.md, "Enforce across an organization"), with the engine and the fetch faked: the stack's
 * resources, the pack's own snapshot, the choice between them, trust pins, and fail-closed messages.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import type { PackFetch } from "../../src/policy/ownSnapshot";
import { rootCertificates } from "node:tls";
import type { FleetPins } from "../../src/config/types";
import { AvHealthError, ErrorCodes } from "../../src/errors";
import { DIGEST, fakeEngine, knownFleet, makeHeader, makePackProject, makeResult, makePinnedRuleSet, makePins, makeRuleResult, makeRuleSet, runStackPolicy, stackResource, STACK_URN } from "./fakes";
import { captureStderr } from "../helpers/stderr";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CANARY = "canary-client-secret-5d1e0b7a";
const CREDENTIALS = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: "app-id", AZURE_CLIENT_SECRET: CANARY };

let tmp: string;
let packDir: string;
let snapshotPath: string;
let env: Record<string, string>;
let logged: string[];

beforeEach(async () => {
  ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-fleet-source-", "name: demo-project\nruntime: yaml\n"));
  logged = captureStderr();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A fetch that writes a snapshot file with the fake engine's digest, or fails as told. */
function fakeFetch(options: { fail?: Error; tenantId?: string; apiUrl?: string } = {}) {
  const calls: Array<Parameters<PackFetch>[0]> = [];
  const fetchSnapshot: PackFetch = async (call) => {
    calls.push(call);
    if (options.fail) throw options.fail;
    await fs.writeFile(call.outPath, "snapshot");
    const header = makeHeader({ method: "files", deviceCount: 1234, source: { apiUrl: options.apiUrl ?? "https://api.securitycenter.microsoft.com", tenantId: options.tenantId ?? TENANT, filter: null } });
    return { header, summary: { deviceCount: 1234, byAvMode: {}, bySignatureUpToDate: tri(), byEngineUpToDate: tri(), byPlatformUpToDate: tri(), byOsKind: {}, byRbacGroup: {}, stale: 0 }, path: call.outPath };
  };
  return { calls, fetchSnapshot };
}

function tri() {
  return { true: 0, false: 0, unknown: 0 };
}

const FAILED = makeResult([makeRuleResult({ status: "fail", percent: 90, counts: { inScope: 10, pass: 9, fail: 1, unknown: 0, waived: 0, counted: 10, passing: 9, failing: 1 } })]);

async function gate(extraEnv: Record<string, string>, resources = [stackResource()], fetch = fakeFetch(), rules = makeRuleSet()) {
  const engine = fakeEngine({ result: FAILED, rules });
  const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, ...extraEnv }, engine, fetchSnapshot: fetch.fetchSnapshot });
  const rule = (policies as StackValidationPolicy[]).find((p) => p.name === "signatures-current") as StackValidationPolicy;
  const violations = await runStackPolicy(rule, resources);
  return { violations, engine, fetch };
}

function config(values: Record<string, string>): Record<string, string> {
  return { PULUMI_CONFIG: JSON.stringify(values) };
}

describe("fleetSource auto (the default)", () => {
  it("takes the pack's own snapshot on a stack without DeviceAvHealth, and reports on the stack resource", async () => {
    const { violations, engine, fetch } = await gate(CREDENTIALS);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]).toMatchObject({ method: "auto", filter: undefined, overrides: {} });
    expect(engine.calls.opened).toEqual([path.join(env.AVHEALTH_CACHE_DIR, "snapshots", `${DIGEST.slice(7)}.ndjson.gz`)]);
    expect(violations).toHaveLength(1);
    expect(violations[0].urn).toBe(STACK_URN);
    expect(violations[0].message).toBe(
      `the pack's own snapshot of tenant ${TENANT} (method files, 1,234 devices, ${DIGEST.slice(0, 19)}…): rule signatures-current failed: ` +
        "90.00% of 10 counted devices comply, required ≥ 98% (9 passing, 1 failing). The compliance report lists every device.",
    );
  });

  it("uses the stack's DeviceAvHealth resource when there is one, and fetches nothing", async () => {
    const { violations, fetch } = await gate(CREDENTIALS, [stackResource(), knownFleet("fleet", snapshotPath)]);
    expect(fetch.calls).toHaveLength(0);
    expect(violations[0].message).toMatch(/^DeviceAvHealth "fleet": rule signatures-current failed/);
  });

  it("fails closed with AUTH_MISSING_CONFIG and what to set when there are no credentials", async () => {
    const { violations, fetch } = await gate({});
    expect(fetch.calls).toHaveLength(0);
    expect(violations).toHaveLength(1);
    expect(violations[0].urn).toBe(STACK_URN);
    expect(violations[0].message).toMatch(/^the avhealth policy pack: rule signatures-current cannot be checked, so it fails closed: the pack could not take its own snapshot: Defender API credentials are incomplete\./);
    expect(violations[0].message).toContain("[AUTH_MISSING_CONFIG]");
    expect(violations[0].message).toContain("pulumi config set avhealth:tenantId");
  });

  it("reads credentials from stack config, the secret included, and never shows the secret", async () => {
    const stackConfig = config({ "avhealth:tenantId": TENANT, "avhealth:clientId": "app-id", "avhealth:clientSecret": CANARY });
    const failure = new AvHealthError(ErrorCodes.AUTH_FAILED, `token refused for secret ${CANARY}`);
    const { violations, fetch } = await gate(stackConfig, [stackResource()], fakeFetch({ fail: failure }));
    expect(fetch.calls[0].overrides).toEqual({ tenantId: TENANT, clientId: "app-id", clientSecret: CANARY });
    expect(violations[0].message).toContain(`the pack's own snapshot of tenant ${TENANT}: rule signatures-current cannot be checked`);
    expect(violations[0].message).toContain("[AUTH_FAILED]");
    expect(violations[0].message).not.toContain(CANARY);
    expect(logged.join("")).not.toContain(CANARY);
  });

  it("tunes the fetch with avhealth:method, avhealth:filter and avhealth:cacheTtl", async () => {
    const { fetch } = await gate({ ...CREDENTIALS, ...config({ "avhealth:method": "json", "avhealth:filter": "osPlatform eq 'Windows11'", "avhealth:cacheTtl": "0" }) });
    expect(fetch.calls[0]).toMatchObject({ method: "json", filter: "osPlatform eq 'Windows11'" });
  });

  it.each([
    ["avhealth:method", "fast", "stack config avhealth:method must be one of auto, json, files. [CONFIG_INVALID]"],
    ["avhealth:cacheTtl", "forever", "stack config avhealth:cacheTtl must be seconds"],
  ])("fails closed on a bad %s", async (key, value, message) => {
    const { violations, fetch } = await gate({ ...CREDENTIALS, ...config({ [key]: value }) });
    expect(fetch.calls).toHaveLength(0);
    expect(violations[0].message).toContain(message);
  });
});

describe("fleetSource resources and pack", () => {
  it("resources: a stack without DeviceAvHealth fails as in v1", async () => {
    const { violations, fetch } = await gate({ ...CREDENTIALS, AVHEALTH_FLEET_SOURCE: "resources" });
    expect(fetch.calls).toHaveLength(0);
    expect(violations[0].message).toMatch(/no DeviceAvHealth resource/);
  });

  it("pack (from stack config): ignores the stack's resources and says so", async () => {
    const { violations, fetch } = await gate({ ...CREDENTIALS, ...config({ "avhealth:fleetSource": "pack" }) }, [stackResource(), knownFleet("fleet", snapshotPath)]);
    expect(fetch.calls).toHaveLength(1);
    expect(violations[0].urn).toBe(STACK_URN);
  });

  it("a value outside the table fails every mandatory rule, naming the accepted values", async () => {
    const { violations } = await gate({ ...CREDENTIALS, AVHEALTH_FLEET_SOURCE: "everything" });
    expect(violations[0].message).toBe(
      'the avhealth policy pack: rule signatures-current cannot be checked, so it fails closed: AVHEALTH_FLEET_SOURCE is "everything", which is not a fleet source: use one of auto, resources, pack [CONFIG_INVALID].',
    );
  });
});

describe("trust pins (settings.fleet)", () => {
  const pinned = (pins: Partial<FleetPins> = {}) => makePinnedRuleSet(makePins(TENANT, pins));

  it("always takes the pack's own snapshot, from the pinned tenant, ignoring DeviceAvHealth and fleetSource", async () => {
    const { violations, fetch } = await gate({ ...CREDENTIALS, AVHEALTH_FLEET_SOURCE: "resources" }, [stackResource(), knownFleet("fleet", snapshotPath)], fakeFetch(), pinned());
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0].overrides).toEqual({ tenantId: TENANT, cloud: "commercial", apiUrl: "https://api.securitycenter.microsoft.com", authorityHost: "https://login.microsoftonline.com" });
    expect(violations[0].message).toMatch(new RegExp(`^the pack's own snapshot of tenant ${TENANT} \\(method files`));
  });

  it.each([
    ["stack config avhealth:apiUrl", config({ "avhealth:apiUrl": "https://127.0.0.1:4443" }), "stack config avhealth:apiUrl is https://127.0.0.1:4443"],
    ["AZURE_TENANT_ID of another tenant", { AZURE_TENANT_ID: "22222222-2222-2222-2222-222222222222" }, 'environment AZURE_TENANT_ID names tenant "22222222-2222-2222-2222-222222222222"'],
    ["a filter", config({ "avhealth:filter": "rbacGroupName eq 'Healthy'" }), "stack config avhealth:filter would narrow it"],
  ])("refuses %s, and fetches nothing", async (_name, extra, message) => {
    const { violations, fetch } = await gate({ ...CREDENTIALS, ...extra }, [stackResource()], fakeFetch(), pinned());
    expect(fetch.calls).toHaveLength(0);
    expect(violations[0].message).toContain(message);
    expect(violations[0].message).toContain("[FLEET_PIN_MISMATCH]");
  });

  it("takes the baseline only from the pinned rule file: AVHEALTH_BASELINE and avhealth:baseline are ignored", async () => {
    const missing = path.join(tmp, "no-such-baseline.json");
    const unpinned = await gate({ ...CREDENTIALS, AVHEALTH_BASELINE: missing });
    expect(unpinned.violations[0].message).toContain("[BASELINE_INVALID]");
    const pinnedRun = await gate({ ...CREDENTIALS, AVHEALTH_BASELINE: missing, ...config({ "avhealth:baseline": missing }) }, [stackResource()], fakeFetch(), pinned());
    expect(pinnedRun.violations[0].message).toMatch(/rule signatures-current failed: 90\.00%/);
    expect(pinnedRun.violations[0].message).not.toContain("BASELINE_INVALID");
    expect(logged.join("")).toContain("AVHEALTH_BASELINE");
  });

  it("reads nothing from the cache directory and trusts only the rule file's TLS settings, naming what it ignored", async () => {
    const stackSettings = {
      ...CREDENTIALS,
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
      NODE_EXTRA_CA_CERTS: "/stack/ca.pem",
      AVHEALTH_CA_FILE: "/stack/ca.pem",
      ...config({ "avhealth:caFile": "/stack/ca.pem", "avhealth:cacheTtl": "24h", "avhealth:method": "json" }),
    };
    const fetch = fakeFetch();
    const rules = pinned({ method: "files", caFiles: ["/pack/ca.pem"], caCertificates: ["-----BEGIN CERTIFICATE-----\nPACK\n-----END CERTIFICATE-----"] });
    const first = await gate(stackSettings, [stackResource()], fetch, rules);
    await gate(stackSettings, [stackResource()], fetch, rules);
    // Two pack processes (two gates): two fetches, never a shared cache entry.
    expect(fetch.calls).toHaveLength(2);
    for (const call of fetch.calls) {
      expect(call.method).toBe("files");
      expect(path.relative(env.AVHEALTH_CACHE_DIR, call.outPath).startsWith("..")).toBe(true);
      expect(call.overrides).not.toHaveProperty("caFile");
      expect(call.tls?.caFiles).toEqual(["/pack/ca.pem"]);
      expect(call.tls?.ca).toEqual([...rootCertificates, "-----BEGIN CERTIFICATE-----\nPACK\n-----END CERTIFICATE-----"]);
    }
    expect(first.engine.calls.opened[0]).toBe(fetch.calls[0].outPath);
    const log = logged.join("");
    for (const name of ["NODE_TLS_REJECT_UNAUTHORIZED", "NODE_EXTRA_CA_CERTS", "AVHEALTH_CA_FILE", "AVHEALTH_CACHE_DIR", "avhealth:caFile", "avhealth:cacheTtl", "avhealth:method"]) {
      expect(log).toContain(name);
    }
  });

  it("refuses a rule file named by the stack when the pack's own file pins the fleet", async () => {
    await fs.writeFile(path.join(packDir, "compliance.yaml"), "pinned rules (the fake engine does not read them)");
    const other = path.join(tmp, "lenient.yaml");
    await fs.writeFile(other, "lenient");
    const engine = fakeEngine({ result: FAILED });
    const loaded: string[] = [];
    const rules = pinned();
    engine.loadRules = async (file) => {
      loaded.push(file);
      return file === other ? makeRuleSet() : { ...rules, file };
    };
    const fetch = fakeFetch();
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, ...CREDENTIALS, AVHEALTH_RULES_FILE: other }, engine, fetchSnapshot: fetch.fetchSnapshot });
    const violations = await runStackPolicy((policies as StackValidationPolicy[])[0], [stackResource()]);
    expect(loaded).toEqual([path.join(packDir, "compliance.yaml")]);
    expect(fetch.calls).toHaveLength(0);
    expect(violations[0].message).toContain(`AVHEALTH_RULES_FILE names the rule file ${other}, but the pack's own rule file pins the fleet`);
  });
});
