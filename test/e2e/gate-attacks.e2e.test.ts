/**
 * The pinned gate against the stack it gates, end to end with the real Pulumi CLI: a YAML stack, the pack from
 * `avhealth init-pack` installed from the tarball with its rule file pinned (settings.fleet), a fleet that fails
 * the mandatory rule, and only what a stack owner controls (pipeline environment variables and stack config,
 * never the pack's files). Each attack tries to make the preview exit 0; each must exit 1. Where an attack
 * works on an unpinned gate, that run is shown first, so the attack itself is known to be real.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { E2E_RULES, makeFleet } from "../policy/e2e-support";
import { policyEvents } from "./helpers/events";
import { startImpersonator, type Impersonator } from "./helpers/impersonator";
import { createPulumiWorkspace, expectExit, type PulumiResult, type PulumiWorkspace } from "./helpers/pulumi";
import { makeGatePacks } from "./helpers/gate-packs";

jest.setTimeout(20 * 60 * 1000);

const CANARY = "canary-secret-7f3e9a1c-never-shown";
const FAILING = makeFleet({ devices: 200, outdatedSignatures: 10 });
const COMPLIANT = makeFleet({ devices: 200 });

describe("attacks on the pinned gate by the stack it gates", () => {
  let tmp: string;
  let openPack: string;
  let pinnedPack: string;
  let emulator: RunningEmulator;
  let healthy: RunningEmulator;
  let impersonator: Impersonator;
  let ws: PulumiWorkspace;
  const results: PulumiResult[] = [];

  /** The pinned pack's rule file: the mandatory rule plus pins, either to the emulator or to Microsoft's hosts. */
  const writePins = (to: "emulator" | "microsoft") => {
    const hosts =
      to === "emulator" ? `    allowApiUrls: [${emulator.apiUrl}]\n    allowAuthorityHosts: [${emulator.authorityHost}]\n    caFiles: [emulator-ca.pem]\n` : "";
    const pins = `settings:\n  fleet:\n    tenantId: ${emulator.tenantId}\n${hosts}`;
    fs.writeFileSync(path.join(pinnedPack, "compliance.yaml"), fs.readFileSync(E2E_RULES, "utf8").replace("version: 1\n", `version: 1\n${pins}`));
  };

  const preview = async (pack: string, env: Record<string, string> = {}) => {
    const result = await ws.preview({ policyPacks: [pack], env });
    results.push(result);
    return result;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-attacks-"));
    ({ packDir: openPack, pinnedPackDir: pinnedPack } = makeGatePacks(tmp));

    // The real tenant, whose fleet fails; and the attacker's healthy copy of it (same ids: only hosts differ).
    emulator = await startEmulator({ fleet: FAILING, rateLimit: "off", clientSecret: CANARY });
    healthy = await startEmulator({ fleet: COMPLIANT, rateLimit: "off", tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: CANARY });
    fs.copyFileSync(emulator.caCertPath, path.join(pinnedPack, "emulator-ca.pem"));
    impersonator = await startImpersonator(healthy, tmp);

    const yamlDir = path.join(tmp, "gated");
    fs.mkdirSync(yamlDir);
    fs.writeFileSync(path.join(yamlDir, "Pulumi.yaml"), "name: gated\nruntime: yaml\noutputs:\n  greeting: hello\n");
    ws = await createPulumiWorkspace({
      projectDir: yamlDir,
      // The stack owner's pipeline: credentials for the real tenant, and the emulator as the API.
      env: {
        AZURE_TENANT_ID: emulator.tenantId,
        AZURE_CLIENT_ID: emulator.clientId,
        AZURE_CLIENT_SECRET: CANARY,
        AVHEALTH_API_URL: emulator.apiUrl,
        AZURE_AUTHORITY_HOST: emulator.authorityHost,
        AVHEALTH_CA_FILE: emulator.caCertPath,
        AVHEALTH_CACHE_DIR: path.join(tmp, "cache"),
        PWD: yamlDir,
      },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await impersonator?.close();
    await emulator?.close();
    await healthy?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    emulator.setFleet({ fleet: FAILING });
    writePins("emulator");
  });

  it("baseline: the pinned gate fails the failing fleet (exit 1)", async () => {
    const result = await preview(pinnedPack);
    expectExit(result, 1);
    expect(policyEvents(result.events, "signatures-current")[0].message).toMatch(/rule signatures-current failed: 95\.00% of 200 counted devices/);
  });

  it("1. a revived cache entry (stored in the future, behind a stale claim) is never evaluated", async () => {
    const cacheDir = path.join(tmp, "attacker-cache");
    const env = { AVHEALTH_CACHE_DIR: cacheDir };
    await ws.setConfig("avhealth:cacheTtl", "24h");
    try {
      // A day the fleet was healthy: an unpinned run leaves a genuine entry in the stack owner's cache.
      emulator.setFleet({ fleet: COMPLIANT });
      expectExit(await preview(openPack, env), 0);
      emulator.setFleet({ fleet: FAILING });
      const entries = path.join(cacheDir, "entries");
      const [entryName] = fs.readdirSync(entries).filter((name) => name.endsWith(".json"));
      const entryFile = path.join(entries, entryName);
      const entry = JSON.parse(fs.readFileSync(entryFile, "utf8")) as { storedAt: string };
      entry.storedAt = new Date(Date.now() + 3_600_000).toISOString();
      fs.writeFileSync(entryFile, JSON.stringify(entry));
      fs.writeFileSync(entryFile.replace(/\.json$/, ".claim"), JSON.stringify({ pid: 4_000_000, host: os.hostname(), at: Date.now() - 40 * 60_000 }));
      const planted = fs.readFileSync(entryFile, "utf8");

      const before = emulator.requestCounts().deviceavinfo;
      const pinned = await preview(pinnedPack, env);
      expectExit(pinned, 1);
      expect(emulator.requestCounts().deviceavinfo - before).toBeGreaterThanOrEqual(1);
      expect(policyEvents(pinned.events, "signatures-current")[0].message).toMatch(/failed: 95\.00% of 200/);
      expect(pinned.stdout).toContain("environment AVHEALTH_CACHE_DIR (the pinned gate reads no snapshot from disk that it did not fetch itself)");
      expect(pinned.stdout).toContain("stack config avhealth:cacheTtl (the rule file's settings.fleet.cacheTtl applies)");
      expect(fs.readFileSync(entryFile, "utf8")).toBe(planted);

      // Unpinned, the planted entry is not trusted either: it was "stored" in the future.
      const open = await preview(openPack, env);
      expectExit(open, 1);
      expect(open.stdout).toContain("which is not a past time: it is not trusted, and the snapshot is fetched again");
    } finally {
      await ws.run(["config", "rm", "--stack", ws.stack, "avhealth:cacheTtl"]);
    }
  });

  describe("2 and 3. a proxy that impersonates Microsoft", () => {
    // Microsoft's own hosts (no allow lists), reached through the stack owner's HTTPS_PROXY.
    const toMicrosoft = { AVHEALTH_API_URL: "", AZURE_AUTHORITY_HOST: "", AVHEALTH_CA_FILE: "", HTTPS_PROXY: "" };
    const proxied = () => ({ ...toMicrosoft, HTTPS_PROXY: impersonator.url });

    beforeEach(() => {
      impersonator.connects.length = 0;
      impersonator.decrypted.length = 0;
    });

    it("works on an unpinned gate with TLS checks off: the impersonator's healthy fleet passes and it reads the secret", async () => {
      const result = await preview(openPack, { ...proxied(), NODE_TLS_REJECT_UNAUTHORIZED: "0" });
      expectExit(result, 0);
      expect(impersonator.connects).toContain("login.microsoftonline.com:443");
      expect(impersonator.decrypted.join("\n")).toContain(CANARY);
    });

    it.each([
      ["TLS checks off (NODE_TLS_REJECT_UNAUTHORIZED=0)", { NODE_TLS_REJECT_UNAUTHORIZED: "0" }, "environment NODE_TLS_REJECT_UNAUTHORIZED"],
      ["its CA in NODE_EXTRA_CA_CERTS and AVHEALTH_CA_FILE", "ca-env", "environment NODE_EXTRA_CA_CERTS"],
      ["its CA as stack config avhealth:caFile", "ca-config", "stack config avhealth:caFile"],
    ])("pinned, %s: the connection is refused (exit 1) and the proxy reads nothing", async (_name, how, ignored) => {
      writePins("microsoft");
      const env: Record<string, string> = { ...proxied() };
      if (how === "ca-env") Object.assign(env, { NODE_EXTRA_CA_CERTS: impersonator.caFile, AVHEALTH_CA_FILE: impersonator.caFile });
      else if (typeof how === "object") Object.assign(env, how);
      if (how === "ca-config") await ws.setConfig("avhealth:caFile", impersonator.caFile);
      try {
        const result = await preview(pinnedPack, env);
        expectExit(result, 1);
        // The proxy carried the connection (it may: with trust fixed it sees host names only) ...
        expect(impersonator.connects).toContain("login.microsoftonline.com:443");
        // ... and could decrypt nothing, the secret least of all.
        expect(impersonator.decrypted).toEqual([]);
        const [event] = policyEvents(result.events, "signatures-current");
        expect(event.message).toContain("[HTTP_NETWORK]");
        expect(event.message).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
        expect(result.stdout).toContain(ignored);
      } finally {
        if (how === "ca-config") await ws.run(["config", "rm", "--stack", ws.stack, "avhealth:caFile"]);
      }
    });
  });

  it("4. the rule-file fallback: the step summary cannot corrupt the pack's rule file, and a stack's lenient file is never used", async () => {
    const own = path.join(pinnedPack, "compliance.yaml");
    const text = fs.readFileSync(own, "utf8");
    const first = await preview(pinnedPack, { GITHUB_STEP_SUMMARY: own });
    expectExit(first, 1);
    expect(fs.readFileSync(own, "utf8")).toBe(text);
    expect(first.stdout).toContain("GITHUB_STEP_SUMMARY not written");

    const lenient = path.join(tmp, "lenient.yaml");
    fs.writeFileSync(lenient, fs.readFileSync(E2E_RULES, "utf8").replace("minPercent: 98", "minPercent: 1"));
    const swapped = await preview(pinnedPack, { AVHEALTH_RULES_FILE: lenient });
    expectExit(swapped, 1);
    expect(policyEvents(swapped.events, "signatures-current")[0].message).toContain("[FLEET_PIN_MISMATCH]");

    // Even when the pack's own file is broken (whoever broke it), the stack's file does not replace it.
    fs.writeFileSync(own, `${text}\n# avhealth report\n| rule | status |\n`);
    const broken = await preview(pinnedPack, { AVHEALTH_RULES_FILE: lenient });
    expectExit(broken, 1);
    const [event] = policyEvents(broken.events, "avhealth-rules-invalid");
    expect(event.enforcementLevel).toBe("mandatory");
    expect(event.message).toMatch(/compliance\.yaml:\d+:\d+ /);
    expect(event.message).toContain(`AVHEALTH_RULES_FILE names ${lenient}; it is not used instead`);
  });

  it("the client secret appears in no output, event, report or state of any run", async () => {
    expect(results.length).toBeGreaterThanOrEqual(8);
    for (const result of results) {
      expect(result.stdout).not.toContain(CANARY);
      expect(result.stderr).not.toContain(CANARY);
      expect(JSON.stringify(result.events)).not.toContain(CANARY);
    }
    const reports = path.join(ws.projectDir, "avhealth-reports");
    for (const name of fs.readdirSync(reports)) expect(fs.readFileSync(path.join(reports, name), "utf8")).not.toContain(CANARY);
    expect(JSON.stringify(await ws.stackExport())).not.toContain(CANARY);
  });
});
