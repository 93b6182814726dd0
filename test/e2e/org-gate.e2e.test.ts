/**
 * The org-wide gate (README.md, "Enforce across an organization") as a platform team rolls it out: a pack written by
 * `avhealth init-pack` and installed from the `npm pack` tarball, applied to a Pulumi YAML stack that declares
 * no resource at all (and to TypeScript stacks), with the real CLI and the emulator. The pack takes its own
 * snapshot; credentials come from the environment or from secret stack config; every failure fails closed;
 * trust pins in the pack's rule file stop the gated stack from choosing its own fleet.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { E2E_RULES, emulatorEnv, makeFleet, makeTestProject, readJson, reportDir, type TestProject } from "../policy/e2e-support";
import { policyEvents } from "./helpers/events";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";
import { makeGatePacks } from "./helpers/gate-packs";

jest.setTimeout(20 * 60 * 1000);


const STACK_URN = /^urn:pulumi:e2e::org-yaml::pulumi:pulumi:Stack::org-yaml-e2e$/;
const FAILING = makeFleet({ devices: 200, outdatedSignatures: 10 });
const COMPLIANT = makeFleet({ devices: 200 });

interface Report {
  gate: string;
  snapshot: { deviceCount: number; complete: boolean };
}

describe("the org-wide gate: a pack from init-pack on stacks without DeviceAvHealth", () => {
  let tmp: string;
  let packDir: string;
  let pinnedPackDir: string;
  let yamlDir: string;
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;
  let cacheDir: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-org-"));
    // The platform team's pack, and the same pack with pins in its rule file (written per test).
    ({ packDir, pinnedPackDir } = makeGatePacks(tmp));

    // A YAML stack with outputs only: the kind of stack the org-wide pack must gate unchanged.
    yamlDir = path.join(tmp, "org-yaml");
    fs.mkdirSync(yamlDir);
    fs.writeFileSync(path.join(yamlDir, "Pulumi.yaml"), "name: org-yaml\nruntime: yaml\noutputs:\n  greeting: hello\n");

    emulator = await startEmulator({ fleet: COMPLIANT, rateLimit: "off" });
    cacheDir = path.join(tmp, "cache");
    ws = await createPulumiWorkspace({
      projectDir: yamlDir,
      // Every preview sees the fleet the emulator serves at that moment.
      config: { "avhealth:cacheTtl": "0" },
      env: { ...emulatorEnv(emulator), AZURE_CLIENT_SECRET: emulator.clientSecret, AVHEALTH_CACHE_DIR: cacheDir, PWD: yamlDir },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await emulator?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => emulator.setFleet({ fleet: COMPLIANT }));

  it("passes a compliant fleet (exit 0) and writes the reports, named after the tenant", async () => {
    const before = emulator.requestCounts().deviceavinfo;
    const result = await ws.preview({ policyPacks: [packDir] });
    expectExit(result, 0);
    expect(policyEvents(result.events)).toEqual([]);
    expect(emulator.requestCounts().deviceavinfo - before).toBe(1);
    const report = readJson<Report>(path.join(reportDir(yamlDir), "avhealth-report.json"));
    expect(report).toMatchObject({ gate: "pass", snapshot: { deviceCount: 200, complete: true } });
    expect(result.stdout).toContain(`reports for the pack's own snapshot of tenant ${emulator.tenantId} written to ${reportDir(yamlDir)}`);
  });

  it("fails a failing fleet (exit 1) with the mandatory rule's policy event on the stack resource", async () => {
    emulator.setFleet({ fleet: FAILING });
    const result = await ws.preview({ policyPacks: [packDir] });
    expectExit(result, 1);
    const events = policyEvents(result.events, "signatures-current");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ enforcementLevel: "mandatory", policyPackName: "avhealth" });
    expect(events[0].resourceUrn).toMatch(STACK_URN);
    expect(events[0].message).toMatch(
      new RegExp(`^the pack's own snapshot of tenant ${emulator.tenantId} \\(method json, 200 devices, sha256:[0-9a-f]{12}…\\): rule signatures-current failed: 95\\.00% of 200 counted devices comply, required ≥ 98%`, "m"),
    );
    expect(readJson<Report>(path.join(reportDir(yamlDir), "avhealth-report.json")).gate).toBe("fail");
  });

  it("re-levels with --policy-pack-config as usual (exit 0, the violation as advisory)", async () => {
    emulator.setFleet({ fleet: FAILING });
    const result = await ws.preview({ policyPacks: [{ dir: packDir, config: { "signatures-current": "advisory" } }] });
    expectExit(result, 0);
    expect(policyEvents(result.events, "signatures-current").map((e) => e.enforcementLevel)).toEqual(["advisory"]);
  });

  it("fails closed without credentials (exit 1), naming AUTH_MISSING_CONFIG and what to set", async () => {
    const result = await ws.preview({ policyPacks: [packDir], env: { AZURE_TENANT_ID: "", AZURE_CLIENT_ID: "", AZURE_CLIENT_SECRET: "" } });
    expectExit(result, 1);
    expect(result.stdout).toContain("[AUTH_MISSING_CONFIG]");
    const [event] = policyEvents(result.events, "signatures-current");
    expect(event.resourceUrn).toMatch(STACK_URN);
    expect(event.message).toContain("AZURE_TENANT_ID is not set");
    expect(event.message).toContain("pulumi config set --secret avhealth:clientSecret");
  });

  it("keeps the v1 message with fleetSource resources", async () => {
    const result = await ws.preview({ policyPacks: [packDir], env: { AVHEALTH_FLEET_SOURCE: "resources" } });
    expectExit(result, 1);
    expect(policyEvents(result.events, "signatures-current")[0].message).toContain("the stack has no DeviceAvHealth resource, so it fails closed");
  });

  describe("credentials from secret stack config", () => {
    let secretWs: PulumiWorkspace;
    let secretDir: string;

    beforeAll(async () => {
      secretDir = path.join(tmp, "org-yaml-secret");
      fs.mkdirSync(secretDir);
      fs.writeFileSync(path.join(secretDir, "Pulumi.yaml"), "name: org-yaml\nruntime: yaml\noutputs:\n  greeting: hello\n");
      secretWs = await createPulumiWorkspace({
        projectDir: secretDir,
        config: { "avhealth:clientSecret": { value: emulator.clientSecret, secret: true } },
        // No AZURE_CLIENT_SECRET: the secret reaches the pack only through stack config.
        env: { ...emulatorEnv(emulator), AVHEALTH_CACHE_DIR: path.join(tmp, "cache-secret"), PWD: secretDir },
      });
    });
    afterAll(() => secretWs?.cleanup());

    it("gates `pulumi up` with one fetch for both passes, and the secret appears nowhere", async () => {
      emulator.setFleet({ fleet: FAILING });
      const before = emulator.requestCounts();
      const failed = await secretWs.up({ policyPacks: [packDir] });
      expectExit(failed, 1);
      expect(policyEvents(failed.events, "signatures-current")).toHaveLength(1);
      expect(emulator.requestCounts().deviceavinfo - before.deviceavinfo).toBe(1);

      // A new fleet, fetched afresh: the preview pass fetches it, the update pass reuses it (cacheTtl 5m).
      emulator.setFleet({ fleet: COMPLIANT });
      fs.rmSync(path.join(tmp, "cache-secret"), { recursive: true, force: true });
      const middle = emulator.requestCounts();
      const passed = await secretWs.up({ policyPacks: [packDir] });
      expectExit(passed, 0);
      expect(emulator.requestCounts().deviceavinfo - middle.deviceavinfo).toBe(1);
      expect(emulator.requestCounts().token - middle.token).toBe(1);

      const state = JSON.stringify(await secretWs.stackExport());
      const events = fs.readdirSync(secretWs.tempDir).filter((f) => f.startsWith("events-")).map((f) => fs.readFileSync(path.join(secretWs.tempDir, f), "utf8"));
      const reports = fs.readdirSync(reportDir(secretDir)).map((f) => fs.readFileSync(path.join(reportDir(secretDir), f), "utf8"));
      expect(reports.length).toBeGreaterThanOrEqual(2);
      for (const text of [failed.stdout, failed.stderr, passed.stdout, passed.stderr, state, ...events, ...reports]) {
        expect(text).not.toContain(emulator.clientSecret);
      }
    });
  });

  it("uses a TypeScript stack's DeviceAvHealth under auto and fetches nothing itself", async () => {
    const project = makeTestProject("org-ts");
    const tsWs = await createPulumiWorkspace({
      projectDir: project.dir,
      config: { "org-ts:cacheTtl": "0", "avhealth:cacheTtl": "0" },
      env: { ...emulatorEnv(emulator), AZURE_CLIENT_SECRET: emulator.clientSecret, AVHEALTH_CACHE_DIR: path.join(tmp, "cache-ts"), PWD: project.dir },
    });
    try {
      emulator.setFleet({ fleet: FAILING });
      const before = emulator.requestCounts().deviceavinfo;
      const result = await tsWs.preview({ policyPacks: [packDir] });
      expectExit(result, 1);
      // The provider's fetch only: with cacheTtl 0 everywhere, a fetch by the pack would be a second request.
      expect(emulator.requestCounts().deviceavinfo - before).toBe(1);
      expect(policyEvents(result.events, "signatures-current")[0].message).toMatch(/^DeviceAvHealth "fleet": rule signatures-current failed/m);
    } finally {
      await tsWs.cleanup();
      project.remove();
    }
  });

  describe("trust pins in the pack's rule file", () => {
    const writePins = (tenantId: string) => {
      // A pinned gate trusts only the CA files its rule file names (never the environment's CA settings).
      fs.copyFileSync(emulator.caCertPath, path.join(pinnedPackDir, "emulator-ca.pem"));
      const pins =
        `settings:\n  fleet:\n    tenantId: ${tenantId}\n    allowApiUrls: [${emulator.apiUrl}]\n    allowAuthorityHosts: [${emulator.authorityHost}]\n` +
        "    caFiles: [emulator-ca.pem]\n";
      fs.writeFileSync(path.join(pinnedPackDir, "compliance.yaml"), fs.readFileSync(E2E_RULES, "utf8").replace("version: 1\n", `version: 1\n${pins}`));
    };

    it("pinned to the emulator's tenant with its origin allowed: the YAML stack is gated normally", async () => {
      writePins(emulator.tenantId);
      expectExit(await ws.preview({ policyPacks: [pinnedPackDir] }), 0);
      emulator.setFleet({ fleet: FAILING });
      const result = await ws.preview({ policyPacks: [pinnedPackDir] });
      expectExit(result, 1);
      expect(policyEvents(result.events, "signatures-current")[0].message).toMatch(/rule signatures-current failed: 95\.00% of 200 counted devices/);
    });

    it("pinned, `pulumi up` fetches once per pass: neither pack process takes the other's snapshot from disk", async () => {
      writePins(emulator.tenantId);
      const before = emulator.requestCounts().deviceavinfo;
      const result = await ws.up({ policyPacks: [pinnedPackDir] });
      expectExit(result, 0);
      expect(emulator.requestCounts().deviceavinfo - before).toBe(2);
    });

    it("pinned to another tenant: the environment's tenant is refused (exit 1) and nothing is fetched", async () => {
      writePins("99999999-8888-7777-6666-555555555555");
      const before = emulator.requestCounts();
      const result = await ws.preview({ policyPacks: [pinnedPackDir] });
      expectExit(result, 1);
      const [event] = policyEvents(result.events, "signatures-current");
      expect(event.message).toContain(`environment AZURE_TENANT_ID names tenant "${emulator.tenantId}", but the rule file pins tenant "99999999-8888-7777-6666-555555555555"`);
      expect(event.message).toContain("[FLEET_PIN_MISMATCH]");
      expect(emulator.requestCounts()).toEqual(before);
    });

    it("avhealth:apiUrl in stack config that contradicts the pins is refused (exit 1)", async () => {
      writePins(emulator.tenantId);
      await ws.setConfig("avhealth:apiUrl", "https://127.0.0.1:1");
      try {
        const result = await ws.preview({ policyPacks: [pinnedPackDir] });
        expectExit(result, 1);
        expect(policyEvents(result.events, "signatures-current")[0].message).toContain(
          "stack config avhealth:apiUrl is https://127.0.0.1:1, which is neither an official API URL of the pinned cloud nor in the rule file's allow list",
        );
      } finally {
        await ws.run(["config", "rm", "--stack", ws.stack, "avhealth:apiUrl"]);
      }
    });

    it("a TypeScript stack whose DeviceAvHealth reads a second, healthy emulator passes unpinned but not pinned", async () => {
      writePins(emulator.tenantId);
      emulator.setFleet({ fleet: FAILING });
      // Same tenant and app credentials as the real one: only the host tells them apart.
      const fake = await startEmulator({ fleet: COMPLIANT, rateLimit: "off", tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: emulator.clientSecret });
      const bothCas = path.join(tmp, "both-cas.pem");
      fs.writeFileSync(bothCas, fs.readFileSync(emulator.caCertPath, "utf8") + fs.readFileSync(fake.caCertPath, "utf8"));
      const project: TestProject = makeTestProject("org-ts-fake");
      const tsWs = await createPulumiWorkspace({
        projectDir: project.dir,
        config: { "org-ts-fake:cacheTtl": "0", "avhealth:apiUrl": fake.apiUrl, "avhealth:authorityHost": fake.authorityHost },
        env: { ...emulatorEnv(emulator), NODE_EXTRA_CA_CERTS: bothCas, AZURE_CLIENT_SECRET: emulator.clientSecret, AVHEALTH_CACHE_DIR: path.join(tmp, "cache-fake"), PWD: project.dir },
      });
      try {
        const bypass = await tsWs.preview({ policyPacks: [packDir] });
        expectExit(bypass, 0);
        expect(fake.requestCounts().deviceavinfo).toBeGreaterThan(0);

        const pinned = await tsWs.preview({ policyPacks: [pinnedPackDir] });
        expectExit(pinned, 1);
        const [event] = policyEvents(pinned.events, "signatures-current");
        expect(event.resourceUrn).toMatch(/pulumi:pulumi:Stack/);
        expect(event.message).toContain(`stack config avhealth:apiUrl is ${fake.apiUrl}`);
        expect(event.message).toContain(`stack config avhealth:authorityHost is ${fake.authorityHost}`);
        expect(pinned.stdout).toContain(`the stack's DeviceAvHealth resource "fleet" was ignored for the gate`);
      } finally {
        await tsWs.cleanup();
        project.remove();
        await fake.close();
      }
    });
  });
});
