/**
 * The `avhealth` provider plugin under the real CLI and the YAML language host, against the emulator:
 * examples/yaml-program declares DeviceAvHealth and invokes getDeviceAvHealth; its outputs equal `avhealth fetch`
 * of the same fleet; one fetch serves both passes of `pulumi up` and the invoke; the policy pack gates the stack
 * on the plugin's resource; the client secret (stack config, secret) appears nowhere; bad inputs fail `check`
 * with the dynamic provider's messages; a 250,000-device fleet keeps the state small.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { renderSummary } from "../../src/cli/summary";
import type { SnapshotHeader, SnapshotSummary } from "../../src/snapshot/types";
import { validateInputs } from "../../provider/inputs";
import { E2E_RULES, POLICY_PACK, emulatorEnv, makeFleet } from "../policy/e2e-support";
import { policyEvents } from "./helpers/events";
import { createPulumiWorkspace, expectExit, type PulumiResult, type PulumiWorkspace } from "./helpers/pulumi";
import { installWithTarball, packRepository } from "./helpers/tarball";
import { REPO_ROOT } from "./helpers/toolchain";

jest.setTimeout(10 * 60 * 1000);

const execFileAsync = promisify(execFile);
const EXAMPLE = path.join(REPO_ROOT, "examples", "yaml-program", "Pulumi.yaml");
const TYPE = "avhealth:index:DeviceAvHealth";
const URN = `urn:pulumi:e2e::avhealth-yaml::${TYPE}::fleet`;

/** A temp copy of examples/yaml-program whose plugin path points at this repository's bin/; `edit` rewrites the program. */
function yamlProject(edit: (text: string) => string = (text) => text): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-yaml-"));
  const text = fs.readFileSync(EXAMPLE, "utf8").replace("path: ../../bin", `path: ${path.join(REPO_ROOT, "bin")}`);
  expect(text).toContain(`path: ${path.join(REPO_ROOT, "bin")}`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), edit(text));
  return dir;
}

/** Credentials: tenant and client id as plain stack config, the secret as a secret; the environment has none of them. */
function connection(emulator: RunningEmulator) {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, ...env } = emulatorEnv(emulator);
  const config = {
    "avhealth:tenantId": tenantId as string,
    "avhealth:clientId": clientId as string,
    "avhealth:clientSecret": { value: emulator.clientSecret, secret: true },
  };
  return { env, config };
}

interface Outputs {
  deviceCount: number;
  summary: SnapshotSummary;
  digest: string;
  complete: boolean;
  invokedDeviceCount: number;
}

/** The summary lines `avhealth fetch` prints (avMode through stale), for comparing a stack's summary output with it. */
function summaryLines(text: string): string[] {
  const lines = text.split("\n");
  const from = lines.findIndex((line) => line.startsWith("avMode "));
  const to = lines.findIndex((line) => line.startsWith("stale "));
  expect(from).toBeGreaterThan(0);
  return lines.slice(from, to + 1);
}

function renderOutputs(outputs: Outputs): string {
  const header = { deviceCount: outputs.deviceCount, complete: true, method: "json", generatedTime: null, fetchedAt: "", digest: outputs.digest, source: {} } as unknown as SnapshotHeader;
  return renderSummary(header, outputs.summary, "", false);
}

function allText(result: PulumiResult): string {
  return `${result.stdout}\n${result.stderr}\n${JSON.stringify(result.events)}`;
}

describe("DeviceAvHealth from a YAML program through the provider plugin (real CLI, emulator)", () => {
  const CANARY = "avh-plugin-canary-3f8e21c4d7a9";
  let emulator: RunningEmulator;
  let dir: string;
  let cacheDir: string;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: makeFleet({ devices: 300, passive: 4 }), rateLimit: "off", clientSecret: CANARY });
    dir = yamlProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    const { env, config } = connection(emulator);
    ws = await createPulumiWorkspace({
      projectDir: dir,
      config,
      env: { ...env, AVHEALTH_CACHE_DIR: cacheDir, AVHEALTH_RULES_FILE: E2E_RULES, AVHEALTH_FLEET_SOURCE: "resources", PWD: dir },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await emulator?.close();
    for (const d of [dir, cacheDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it("preview and up show the outputs of `avhealth fetch`; up fetches once for both passes and the invoke; the gate passes", async () => {
    const calls = () => emulator.requestCounts().deviceavinfo;
    const preview = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(preview, 0);
    expect(calls()).toBe(1);
    expect(preview.stdout).toMatch(/\+ +avhealth:index:DeviceAvHealth +fleet +create/);
    expect(preview.stdout).toMatch(/deviceCount *: 300\n/);
    expect(preview.stdout).toMatch(/invokedDeviceCount *: 300\n/);
    expect(preview.stdout).toMatch(/passive +: 4\n/);

    // A fresh cache directory, so this up cannot reuse the preview's snapshot: it fetches exactly once.
    const upCache = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    const up = await ws.up({ policyPacks: [POLICY_PACK], env: { AVHEALTH_CACHE_DIR: upCache } });
    fs.rmSync(upCache, { recursive: true, force: true });
    expectExit(up, 0);
    expect(calls()).toBe(2);
    expect(emulator.requestCounts().token).toBe(2);
    expect(up.stdout).toMatch(/\+ +avhealth:index:DeviceAvHealth +fleet +created/);
    expect(up.stdout).toMatch(/deviceCount *: 300\n/);
    expect(policyEvents(up.events).filter((e) => e.enforcementLevel === "mandatory")).toEqual([]);
    expect(fs.existsSync(path.join(dir, "avhealth-reports", "avhealth-report.json"))).toBe(true);

    const outputs = JSON.parse((await ws.run(["stack", "output", "--json", "--stack", ws.stack])).stdout) as Outputs;
    expect(outputs.deviceCount).toBe(300);
    expect(outputs.invokedDeviceCount).toBe(300);
    expect(outputs.complete).toBe(true);
    expect(outputs.summary.byAvMode).toMatchObject({ active: 296, passive: 4, disabled: 0 });

    const avhealth = path.join(REPO_ROOT, "bin", "avhealth.js");
    const fetched = await execFileAsync(process.execPath, [avhealth, "fetch", "--out", path.join(dir, "cli.ndjson.gz")], {
      cwd: dir,
      env: { ...process.env, ...emulatorEnv(emulator), AZURE_CLIENT_SECRET: CANARY },
    });
    expect(fetched.stdout).toContain(`devices    300 (complete)`);
    expect(fetched.stdout).toContain(`digest     ${outputs.digest}`);
    expect(summaryLines(renderOutputs(outputs))).toEqual(summaryLines(fetched.stdout));

    for (const result of [preview, up]) expect(allText(result)).not.toContain(CANARY);
    const state = (await ws.stackExport()) as { deployment: { resources: Array<{ type: string; inputs?: Record<string, unknown> }> } };
    const exported = JSON.stringify(state);
    expect(exported).toContain(TYPE);
    expect(exported).not.toContain(CANARY);
    // The secret is the default provider's configuration, kept in its state as a secret (encrypted), and nowhere else.
    const [providerState] = state.deployment.resources.filter((r) => r.type === "pulumi:providers:avhealth");
    expect(Object.keys(providerState?.inputs?.clientSecret as object)).toContain("ciphertext");
    expect(JSON.stringify(state.deployment.resources.filter((r) => r.type === TYPE))).not.toContain("clientSecret");
    expect(exported).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/);
  });

  it("the pack fails a failing fleet on the resource's URN (exit 1), in preview and up", async () => {
    emulator.setFleet({ fleet: makeFleet({ devices: 320, outdatedSignatures: 20 }) });
    // A fresh cache directory: the fleet is fetched anew instead of reused within cacheTtl.
    const env = { AVHEALTH_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-")) };
    try {
      const preview = await ws.preview({ policyPacks: [POLICY_PACK], env });
      expectExit(preview, 1);
      expect(preview.stdout).toMatch(/~ +avhealth:index:DeviceAvHealth +fleet +update/);
      expect(preview.stdout).toContain("93.75% of 320 counted devices comply, required ≥ 98%");
      const events = policyEvents(preview.events, "signatures-current");
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ enforcementLevel: "mandatory", policyPackName: "avhealth", resourceUrn: URN });

      const up = await ws.up({ policyPacks: [POLICY_PACK], env });
      expectExit(up, 1);
      expect(policyEvents(up.events, "signatures-current")[0]).toMatchObject({ enforcementLevel: "mandatory", resourceUrn: URN });
      for (const result of [preview, up]) expect(allText(result)).not.toContain(CANARY);
    } finally {
      fs.rmSync(env.AVHEALTH_CACHE_DIR, { recursive: true, force: true });
    }
  });

  it("bad inputs fail check with the dynamic provider's messages", async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ["method: fast", { method: "fast" }],
      ["cacheTtl: forever", { cacheTtl: "forever" }],
      ["cloud: mars", { cloud: "mars" }],
    ];
    for (const [line, input] of cases) {
      const bad = yamlProject((text) => text.replace("    properties:\n      cacheTtl: 5m\n", `    properties:\n      ${line}\n`));
      // The stack's config file (its passphrase salt) goes along; the program differs only in that input.
      fs.copyFileSync(path.join(dir, `Pulumi.${ws.stack}.yaml`), path.join(bad, `Pulumi.${ws.stack}.yaml`));
      try {
        const result = await ws.run(["preview", "--stack", ws.stack, "--cwd", bad]);
        expect(result.code).not.toBe(0);
        const [failure] = validateInputs(input).failures;
        expect(failure).toBeDefined();
        expect(result.stdout + result.stderr).toContain(failure.property);
        expect(result.stdout + result.stderr).toContain(failure.reason);
      } finally {
        fs.rmSync(bad, { recursive: true, force: true });
      }
    }
  });

  it("without credentials, check fails with AUTH_MISSING_CONFIG naming what to set", async () => {
    const bareDir = yamlProject();
    const bare = await createPulumiWorkspace({ projectDir: bareDir, env: { ...connection(emulator).env, AVHEALTH_CACHE_DIR: cacheDir } });
    try {
      const result = await bare.preview();
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain("[AUTH_MISSING_CONFIG]");
      expect(result.stdout).toMatch(/avhealth:tenantId|AZURE_TENANT_ID/);
    } finally {
      await bare.cleanup();
      fs.rmSync(bareDir, { recursive: true, force: true });
    }
  });
});

describe("DeviceAvHealth plugin state for a 250,000-device fleet (real CLI, emulator)", () => {
  const CANARY = "avh-plugin-canary-9a2d5e71b40c";
  let emulator: RunningEmulator;
  let dir: string;
  let cacheDir: string;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator({ devices: 250_000, seed: 11, rateLimit: "off", clientSecret: CANARY });
    dir = yamlProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    const { env, config } = connection(emulator);
    ws = await createPulumiWorkspace({ projectDir: dir, config, env: { ...env, AVHEALTH_CACHE_DIR: cacheDir } });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await emulator?.close();
    for (const d of [dir, cacheDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it("keeps the resource under 16 KB in `pulumi stack export`, with no client secret and no token", async () => {
    const up = await ws.up({ skipPreview: true });
    expectExit(up, 0);
    expect(up.stdout).toMatch(/deviceCount *: 250000\n/);
    // Progress of the long fetch, sent to the engine log by the plugin, in the CLI's output.
    expect(up.stdout).toContain("avhealth: using the files method");
    expect(up.stdout).toMatch(/avhealth: fetched 250000 devices by the files method in [\d.]+s \(complete\)/);
    const exported = (await ws.stackExport()) as { deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> } };
    const found = exported.deployment.resources.filter((r) => r.type === TYPE);
    expect(found).toHaveLength(1);
    const bytes = Buffer.byteLength(JSON.stringify(found[0]));
    console.log(`stack export: plugin DeviceAvHealth resource ${bytes} bytes for 250,000 devices`);
    expect(found[0].outputs?.deviceCount).toBe(250_000);
    expect(bytes).toBeLessThan(16 * 1024);
    const text = JSON.stringify(exported);
    expect(text).not.toContain(CANARY);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/);
    expect(allText(up)).not.toContain(CANARY);
  });
});

describe("the plugin from the npm package, installed with `pulumi plugin install --file` (real CLI, emulator)", () => {
  let emulator: RunningEmulator;
  let tmp: string;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: makeFleet({ devices: 40 }), rateLimit: "off", clientSecret: "avh-plugin-canary-pack-51c0" });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-plugin-pack-"));
  });

  afterAll(async () => {
    await ws?.cleanup();
    await emulator?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("ships pulumi-resource-avhealth, which runs from the plugin cache with the project's copy of the package", async () => {
    const tarball = packRepository(tmp);
    // The example without its plugins block: the engine must find the installed plugin.
    const dir = path.join(tmp, "project");
    fs.mkdirSync(dir);
    const program = fs.readFileSync(EXAMPLE, "utf8").replace(/^plugins:\n(?: {2}.*\n|\n)*?(?=resources:)/m, "");
    expect(program).not.toContain("plugins:");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "avhealth-yaml", private: true, dependencies: {} }));
    installWithTarball(dir, tarball, ["@pulumi/pulumi"]);
    const shipped = path.join(dir, "node_modules", "pulumi-defender-avhealth", "bin", "pulumi-resource-avhealth");
    expect(fs.statSync(shipped).mode & 0o111).not.toBe(0);
    expect(fs.existsSync(path.join(dir, "node_modules", ".bin", "pulumi-resource-avhealth"))).toBe(true);

    const { env, config } = connection(emulator);
    ws = await createPulumiWorkspace({ projectDir: dir, config, env: { ...env, AVHEALTH_CACHE_DIR: path.join(tmp, "cache") } });
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const installed = await ws.run(["plugin", "install", "resource", "avhealth", version, "--file", shipped]);
    expectExit(installed, 0);
    const listed = await ws.run(["plugin", "ls"]);
    expect(listed.stdout).toMatch(new RegExp(`avhealth +resource +${version.replace(/\./g, "\\.")}`));

    const up = await ws.up();
    expectExit(up, 0);
    expect(up.stdout).toMatch(/deviceCount *: 40\n/);
    expect(up.stdout + up.stderr).not.toContain("from $PATH");
    expect(emulator.requestCounts().deviceavinfo).toBe(1);
  });
});
