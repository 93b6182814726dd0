/**
 * Publish once, gate everywhere, end to end: `avhealth publish` (the built CLI) fetches from the Defender
 * emulator and signs; then the emulator is stopped and a Pulumi YAML stack, with no Defender credential in its
 * environment, is gated by a pack (written by init-pack, installed from the tarball) whose rule file pins signed
 * publications. A failing publication exits 1 with the mandatory event, a passing one exits 0, and each way a
 * publication can be wrong is refused with its code (a few through `pulumi preview`, the rest through
 * `avhealth check --from`, which runs the same verification). Secrets appear in no output, report, event log
 * or state.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { readSnapshot } from "../../src/snapshot";
import { E2E_RULES, makeFleet, readJson, reportDir } from "../policy/e2e-support";
import { createContainerWithReadSas, startAzurite, type RunningAzurite } from "../helpers/azurite";
import { emulatorEnv } from "../helpers/emulator-env";
import { makeKey, makeSnapshot, OTHER_TENANT, writeCustom, type TestKey } from "../publication/support";
import { policyEvents } from "./helpers/events";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";
import { installWithTarball, packRepository } from "./helpers/tarball";
import { REPO_ROOT } from "./helpers/toolchain";

jest.setTimeout(20 * 60 * 1000);

const AVHEALTH = path.join(REPO_ROOT, "bin", "avhealth.js");
const STACK_URN = /^urn:pulumi:e2e::signed-yaml::pulumi:pulumi:Stack::signed-yaml-e2e$/;
const SAS_CANARY = "sv=2024-01-01&sp=rl&sig=U0FTLWNhbmFyeS1zZWNyZXQtc2ln";
const key = makeKey("ed25519");
const otherKey = makeKey("ecdsa-p256");

interface Report {
  gate: string;
  snapshot: { deviceCount: number; publication?: { location: string; keyid: string; deviceCount: number; fetchedAt: string } };
}

/** The built CLI as a child process; asynchronous, because the emulator serves from this test's own event loop. */
function avhealth(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AVHEALTH, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("signed publications gate a stack that holds no Defender credential", () => {
  let tmp: string;
  let packDir: string;
  let yamlDir: string;
  let ws: PulumiWorkspace;
  let tenantId: string;
  let clientSecret: string;
  let failingStore: string;
  let passingStore: string;
  const outputs: string[] = [];

  const writePins = (from: string, options: { keys?: TestKey[]; maxAge?: string } = {}) => {
    const pems = (options.keys ?? [key]).map((k) => `        - |\n${k.publicPem.trimEnd().split("\n").map((l) => `          ${l}`).join("\n")}`).join("\n");
    const pins = `settings:\n  fleet:\n    tenantId: ${tenantId}\n    signed:\n      from: ${from}\n      maxAge: ${options.maxAge ?? "25h"}\n      keys:\n${pems}\n`;
    fs.writeFileSync(path.join(packDir, "compliance.yaml"), fs.readFileSync(E2E_RULES, "utf8").replace("version: 1\n", `version: 1\n${pins}`));
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-signed-"));
    const tarball = packRepository(tmp);
    packDir = path.join(tmp, "avhealth-pack");
    execFileSync(process.execPath, [AVHEALTH, "init-pack", packDir], { encoding: "utf8" });
    installWithTarball(packDir, tarball);

    // The publisher: Defender credentials and the signing key, once per fleet state.
    const emulator: RunningEmulator = await startEmulator({ fleet: makeFleet({ devices: 200, outdatedSignatures: 10 }), rateLimit: "off" });
    tenantId = emulator.tenantId;
    clientSecret = emulator.clientSecret;
    const publisherEnv = { ...emulatorEnv(emulator), AVHEALTH_SIGNING_KEY: key.privatePem };
    failingStore = path.join(tmp, "store-failing");
    passingStore = path.join(tmp, "store-passing");
    try {
      const failing = await avhealth(["publish", "--to", failingStore, "--method", "json"], publisherEnv, tmp);
      emulator.setFleet({ fleet: makeFleet({ devices: 200 }) });
      const passing = await avhealth(["publish", "--to", passingStore, "--method", "json"], publisherEnv, tmp);
      outputs.push(failing.stdout, failing.stderr, passing.stdout, passing.stderr);
      expect([failing.code, passing.code]).toEqual([0, 0]);
      expect(passing.stdout).toContain(`tenant ${tenantId} (commercial), 200 devices`);
    } finally {
      await emulator.close();
    }

    yamlDir = path.join(tmp, "signed-yaml");
    fs.mkdirSync(yamlDir);
    fs.writeFileSync(path.join(yamlDir, "Pulumi.yaml"), "name: signed-yaml\nruntime: yaml\noutputs:\n  greeting: hello\n");
    // No AZURE_* variable at all: the gate must not need one. A store SAS as a secret (canary) and a stale
    // Defender API URL in stack config, which the signed gate ignores by name.
    ws = await createPulumiWorkspace({
      projectDir: yamlDir,
      config: { "avhealth:storeSas": { value: SAS_CANARY, secret: true }, "avhealth:apiUrl": "https://127.0.0.1:1" },
      env: { AVHEALTH_CACHE_DIR: path.join(tmp, "cache"), PWD: yamlDir },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("fails a failing publication (exit 1) with the mandatory event naming location, keyid, age and devices", async () => {
    writePins(failingStore);
    const result = await ws.preview({ policyPacks: [packDir] });
    outputs.push(result.stdout, result.stderr, JSON.stringify(result.events));
    expectExit(result, 1);
    const events = policyEvents(result.events, "signatures-current");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ enforcementLevel: "mandatory", policyPackName: "avhealth" });
    expect(events[0]!.resourceUrn).toMatch(STACK_URN);
    expect(events[0]!.message).toMatch(
      new RegExp(`^the signed publication of tenant ${tenantId} \\(${failingStore.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}, keyid ${key.verifying.keyid.slice(0, 16)}…, fetched \\S+, \\d+m old, 200 devices\\): rule signatures-current failed: 95\\.00% of 200`, "m"),
    );
    expect(result.stdout).toContain("stack config avhealth:apiUrl (a signed gate never calls the Defender API)");
    expect(readJson<Report>(path.join(reportDir(yamlDir), "avhealth-report.json")).gate).toBe("fail");
  });

  it("passes a passing publication (exit 0); the report names the publication", async () => {
    writePins(passingStore, { keys: [otherKey, key] });
    const result = await ws.preview({ policyPacks: [packDir] });
    outputs.push(result.stdout, result.stderr, JSON.stringify(result.events));
    expectExit(result, 0);
    expect(policyEvents(result.events)).toEqual([]);
    const report = readJson<Report>(path.join(reportDir(yamlDir), "avhealth-report.json"));
    expect(report).toMatchObject({ gate: "pass", snapshot: { deviceCount: 200, publication: { location: passingStore, keyid: key.verifying.keyid, deviceCount: 200 } } });
    outputs.push(...fs.readdirSync(reportDir(yamlDir)).map((f) => fs.readFileSync(path.join(reportDir(yamlDir), f), "utf8")));
  });

  it.each<[string, () => Promise<void>, string]>([
    ["a signature by a key that is not pinned", async () => writePins(passingStore, { keys: [otherKey] }), "SIGNATURE_INVALID"],
    [
      "maxAge passed (the publisher stopped)",
      async () => {
        const subject = fs.readdirSync(path.join(passingStore, "snapshots"))[0] as string;
        const file = path.join(passingStore, "snapshots", subject);
        const dir = path.join(tmp, "store-stale");
        await writeCustom(dir, file, (await readSnapshot(file)).header, key, { predicate: { fetchedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() } });
        writePins(dir, { maxAge: "2h" });
      },
      "PUBLICATION_STALE",
    ],
    ["an unreachable store", async () => writePins("http://127.0.0.1:9/avhealth"), "STORE_UNREACHABLE"],
  ])("fails closed through pulumi preview on %s (exit 1, code in the output)", async (_, arrange, code) => {
    await arrange();
    const result = await ws.preview({ policyPacks: [packDir] });
    outputs.push(result.stdout, result.stderr, JSON.stringify(result.events));
    expectExit(result, 1);
    expect(result.stdout).toContain(`[${code}]`);
    expect(policyEvents(result.events).filter((e) => e.enforcementLevel === "mandatory").length).toBeGreaterThanOrEqual(1);
  });

  describe("each refusal, through avhealth check --from", () => {
    let pub: string;
    let otherPub: string;
    let good: { file: string; header: Awaited<ReturnType<typeof makeSnapshot>> };
    let server: http.Server;
    let served: string;

    beforeAll(async () => {
      pub = path.join(tmp, "signing.pub");
      otherPub = path.join(tmp, "other.pub");
      fs.writeFileSync(pub, key.publicPem);
      fs.writeFileSync(otherPub, otherKey.publicPem);
      const subject = fs.readdirSync(path.join(passingStore, "snapshots"))[0] as string;
      const file = path.join(passingStore, "snapshots", subject);
      good = { file, header: (await readSnapshot(file)).header };
      // The passing store over http on loopback, with ETags, so the gate keeps (and must re-verify) a local copy.
      served = passingStore;
      server = http.createServer((req, res) => {
        const target = path.join(served, ...new URL(req.url ?? "/", "http://x").pathname.split("/").filter(Boolean).slice(1));
        if (!fs.existsSync(target)) return void res.writeHead(404).end();
        const etag = `"${fs.statSync(target).mtimeMs}"`;
        if (req.headers["if-none-match"] === etag) return void res.writeHead(304).end();
        res.writeHead(200, { etag }).end(fs.readFileSync(target));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

    const check = (from: string, extra: string[] = [], keyFile = pub) =>
      avhealth(["check", "--rules", E2E_RULES, "--from", from, "--key", keyFile, "--tenant", tenantId, "--report-dir", path.join(tmp, "cli-reports"), ...extra], { AVHEALTH_CACHE_DIR: path.join(tmp, "cli-cache") }, tmp);

    const variant = async (name: string, change: Parameters<typeof writeCustom>[4]) => {
      const dir = path.join(tmp, `variant-${name}`);
      await writeCustom(dir, good.file, good.header, key, change);
      return dir;
    };

    it("passes the good publication (exit 0)", async () => {
      const result = await check(passingStore);
      outputs.push(result.stdout, result.stderr);
      expect(result.code).toBe(0);
    });

    it.each<[string, () => Promise<{ from: string; extra?: string[]; key?: string }>, string]>([
      ["a signature by another key", async () => ({ from: passingStore, key: otherPub }), "SIGNATURE_INVALID"],
      ["another tenant, signed by the right key", async () => ({ from: await variant("tenant", { predicate: { tenantId: OTHER_TENANT } }) }), "PUBLICATION_TENANT_MISMATCH"],
      ["maxAge passed", async () => ({ from: passingStore, extra: ["--now", new Date(Date.now() + 2 * 3_600_000).toISOString(), "--max-age", "1h"] }), "PUBLICATION_STALE"],
      ["expiresAt passed", async () => ({ from: await variant("expired", { predicate: { expiresAt: new Date(Date.now() - 60_000).toISOString() } }) }), "PUBLICATION_EXPIRED"],
      ["payloadType changed", async () => ({ from: await variant("ptype", { payloadType: "application/json" }) }), "PUBLICATION_INVALID"],
      ["predicateType changed", async () => ({ from: await variant("pred", { statement: (s) => void (s.predicateType = "https://slsa.dev/provenance/v1") }) }), "PUBLICATION_INVALID"],
      [
        "the subject file swapped",
        async () => {
          const dir = await variant("swap", {});
          const subject = fs.readdirSync(path.join(dir, "snapshots"))[0] as string;
          await makeSnapshot(path.join(dir, "snapshots", subject), { devices: 200, tenantId });
          return { from: dir };
        },
        "SNAPSHOT_DIGEST_MISMATCH",
      ],
      [
        "an unsigned envelope",
        async () => {
          const dir = await variant("unsigned", {});
          const envelope = JSON.parse(fs.readFileSync(path.join(dir, "latest.dsse.json"), "utf8")) as object;
          fs.writeFileSync(path.join(dir, "latest.dsse.json"), JSON.stringify({ ...envelope, signatures: [] }));
          return { from: dir };
        },
        "SIGNATURE_INVALID",
      ],
      [
        "a malformed envelope",
        async () => {
          const dir = await variant("malformed", {});
          fs.writeFileSync(path.join(dir, "latest.dsse.json"), '{"payloadType": "application/vnd.in-toto+json", "payload": ');
          return { from: dir };
        },
        "PUBLICATION_INVALID",
      ],
      ["the store unreachable", async () => ({ from: "http://127.0.0.1:9/avhealth" }), "STORE_UNREACHABLE"],
    ])("refuses %s (exit 3, code in the output)", async (_, arrange, code) => {
      const { from, extra, key: keyFile } = await arrange();
      const result = await check(from, extra ?? [], keyFile ?? pub);
      outputs.push(result.stdout, result.stderr);
      expect(result.stderr).toContain(`[${code}]`);
      expect(result.code).toBe(3);
    });

    it("refuses a tampered local copy of a remote publication, then downloads it afresh", async () => {
      const from = `http://127.0.0.1:${(server.address() as AddressInfo).port}/avhealth`;
      expect((await check(from)).code).toBe(0);
      const copies = path.join(tmp, "cli-cache", "publications");
      const copy = execFileSync("find", [copies, "-name", "*.ndjson.gz"], { encoding: "utf8" }).trim().split("\n")[0] as string;
      const bytes = fs.readFileSync(copy);
      bytes[bytes.length - 9] ^= 0x55;
      fs.writeFileSync(copy, bytes);
      const tampered = await check(from);
      expect(tampered.stderr).toContain("[SNAPSHOT_DIGEST_MISMATCH]");
      expect(tampered.stderr).toContain("The local copy was changed on disk");
      expect(tampered.code).toBe(3);
      expect((await check(from)).code).toBe(0);
    });
  });

  describe("a publication in Azure Blob Storage (Azurite), read with the stack secret avhealth:storeSas", () => {
    let azurite: RunningAzurite;
    let azWs: PulumiWorkspace;
    let sas: string;
    let location: string;

    beforeAll(async () => {
      azurite = await startAzurite();
      sas = await createContainerWithReadSas(azurite, "avhealth");
      location = `${azurite.serviceUrl}/avhealth/prod`;
      const subject = fs.readdirSync(path.join(passingStore, "snapshots"))[0] as string;
      const published = await avhealth(["publish", "--to", location, "--snapshot", path.join(passingStore, "snapshots", subject)], {
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        AVHEALTH_SIGNING_KEY: key.privatePem,
      }, tmp);
      outputs.push(published.stdout, published.stderr);
      expect(published.code).toBe(0);
      const dir = path.join(tmp, "signed-yaml-azure");
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: signed-yaml\nruntime: yaml\noutputs:\n  greeting: hello\n");
      azWs = await createPulumiWorkspace({ projectDir: dir, config: { "avhealth:storeSas": { value: sas, secret: true } }, env: { AVHEALTH_CACHE_DIR: path.join(tmp, "cache-azure"), PWD: dir } });
    });
    afterAll(async () => {
      await azWs?.cleanup();
      await azurite?.stop();
    });

    it("passes (exit 0) with the read-only SAS, and refuses (exit 1, STORE_ACCESS_DENIED) without it; the SAS appears nowhere", async () => {
      writePins(location);
      const passed = await azWs.preview({ policyPacks: [packDir] });
      const state = JSON.stringify(await azWs.stackExport());
      outputs.push(passed.stdout, passed.stderr, JSON.stringify(passed.events), state);
      expectExit(passed, 0);
      expect(passed.stdout).toContain(`verified ${location}`);
      const denied = await ws.preview({ policyPacks: [packDir] });
      outputs.push(denied.stdout, denied.stderr, JSON.stringify(denied.events));
      expectExit(denied, 1);
      expect(denied.stdout).toContain("[STORE_ACCESS_DENIED]");
      const sig = decodeURIComponent(/sig=([^&]+)/.exec(sas)?.[1] ?? "missing");
      for (const text of [passed.stdout, passed.stderr, JSON.stringify(passed.events), state, denied.stdout]) {
        expect(text).not.toContain(sig);
        expect(text).not.toContain(encodeURIComponent(sig));
      }
    });
  });

  it("leaves no secret in any output, report, event log or state", async () => {
    const state = JSON.stringify(await ws.stackExport());
    const eventLogs = fs.readdirSync(ws.tempDir).filter((f) => f.startsWith("events-")).map((f) => fs.readFileSync(path.join(ws.tempDir, f), "utf8"));
    const texts = [...outputs, state, ...eventLogs];
    expect(texts.length).toBeGreaterThan(10);
    const keyLine = key.privatePem.split("\n")[1] as string;
    for (const text of texts) {
      expect(text).not.toContain(keyLine);
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain("U0FTLWNhbmFyeS1zZWNyZXQtc2ln");
    }
  });
});
