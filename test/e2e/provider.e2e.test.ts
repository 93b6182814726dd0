/**
 * DeviceAvHealth under the real CLI and the emulator: one fetch per cacheTtl across the preview and update
 * passes of `pulumi up` (emulator request counts), a changed fleet showing as an update, and the state of a
 * 250,000-device fleet staying small and free of the client secret and of tokens.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { E2E_RULES, POLICY_PACK, emulatorEnv, makeFleet, makeTestProject, readJson, reportDir, type TestProject } from "../policy/e2e-support";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";

jest.setTimeout(20 * 60 * 1000);


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StackResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

function fleetResource(exported: unknown): StackResource {
  const resources = (exported as { deployment: { resources: StackResource[] } }).deployment.resources;
  const found = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/defender:DeviceAvHealth");
  expect(found).toHaveLength(1);
  return found[0];
}

async function newWorkspace(emulator: RunningEmulator, project: TestProject, cacheDir: string, cacheTtl: string): Promise<PulumiWorkspace> {
  return createPulumiWorkspace({
    projectDir: project.dir,
    // The secret comes from stack config only (decrypted by the engine for the provider), never the environment.
    config: { cacheTtl, "avhealth:clientSecret": { value: emulator.clientSecret, secret: true } },
    env: { ...emulatorEnv(emulator), AVHEALTH_CACHE_DIR: cacheDir, AVHEALTH_RULES_FILE: E2E_RULES, PWD: project.dir },
  });
}

describe("DeviceAvHealth fetch cache across pulumi up (real CLI, emulator)", () => {
  const TTL_SECONDS = 75;
  let emulator: RunningEmulator;
  let project: TestProject;
  let ws: PulumiWorkspace;
  let cacheDir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: makeFleet({ devices: 300 }), rateLimit: "off", clientSecret: "avh-e2e-canary-0b7c2f9d41e6" });
    project = makeTestProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    ws = await newWorkspace(emulator, project, cacheDir, `${TTL_SECONDS}s`);
  });

  afterAll(async () => {
    await ws?.cleanup();
    project?.remove();
    await emulator?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("fetches once per cacheTtl, then shows a changed fleet as an update and evaluates the new data", async () => {
    const calls = () => emulator.requestCounts().deviceavinfo;
    const started = Date.now();
    const first = await ws.up({ policyPacks: [POLICY_PACK] });
    expectExit(first, 0);
    // The preview pass and the update pass each ran check; they shared one fetch of one page.
    expect(calls()).toBe(1);
    expect(emulator.requestCounts().token).toBe(1);
    // The snapshot was stored before the first `up` ended: the TTL has surely run out TTL after this instant.
    const firstDone = Date.now();

    const second = await ws.up({ policyPacks: [POLICY_PACK] });
    expectExit(second, 0);
    expect(calls()).toBe(1);
    expect(second.stdout).toMatch(/2 unchanged/);
    // Guard: the cache answered because the TTL had not run out, not by accident.
    expect(Date.now() - started).toBeLessThan(TTL_SECONDS * 1000);

    emulator.setFleet({ fleet: makeFleet({ devices: 320, outdatedSignatures: 20 }) });
    await sleep(Math.max(0, firstDone + TTL_SECONDS * 1000 + 1000 - Date.now()));
    const third = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(third, 1);
    expect(calls()).toBe(2);
    expect(third.stdout).toMatch(/~ +pulumi-nodejs:dynamic\/defender:DeviceAvHealth +fleet +update/);
    expect(third.stdout).toContain("93.75% of 320 counted devices comply, required ≥ 98%");
    const report = readJson<{ snapshot: { deviceCount: number } }>(path.join(reportDir(project.dir), "avhealth-report.json"));
    expect(report.snapshot.deviceCount).toBe(320);
  });
});

describe("DeviceAvHealth state for a 250,000-device fleet (real CLI, emulator)", () => {
  const CANARY = "avh-e2e-canary-5d1e8a3c97f2";
  let emulator: RunningEmulator;
  let project: TestProject;
  let ws: PulumiWorkspace;
  let cacheDir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ devices: 250_000, seed: 11, rateLimit: "off", clientSecret: CANARY });
    project = makeTestProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    ws = await newWorkspace(emulator, project, cacheDir, "10m");
  });

  afterAll(async () => {
    await ws?.cleanup();
    project?.remove();
    await emulator?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("keeps the resource under 64 KB in `pulumi stack export`, with no client secret and no token", async () => {
    const up = await ws.up({ skipPreview: true });
    expectExit(up, 0);
    expect(emulator.requestCounts().token).toBeGreaterThan(0);
    // Progress of the long fetch, from the provider process, in the CLI's output.
    expect(up.stdout).toContain("avhealth: using the files method");
    expect(up.stdout).toMatch(/avhealth: fetched 250000 devices by the files method in [\d.]+s \(complete\)/);
    const exported = await ws.stackExport();
    const text = JSON.stringify(exported);
    const resource = fleetResource(exported);
    const resourceBytes = Buffer.byteLength(JSON.stringify(resource));
    const providerBytes = Buffer.byteLength(String(resource.outputs?.__provider ?? ""));
    console.log(`stack export: DeviceAvHealth resource ${resourceBytes} bytes (serialized provider ${providerBytes} bytes, stored twice) for 250,000 devices`);

    expect(resource.outputs?.deviceCount).toBe(250_000);
    expect((resource.outputs?.snapshot as { method: string; complete: boolean })).toMatchObject({ method: "files", complete: true });
    expect(resourceBytes).toBeLessThan(64 * 1024);
    expect(providerBytes).toBeGreaterThan(0);
    expect(providerBytes).toBeLessThan(4096);
    expect(text).not.toContain(CANARY);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/);
    expect(text).not.toMatch(/Bearer /i);
    expect(text).not.toMatch(/[?&]sig=/);
  });
});
