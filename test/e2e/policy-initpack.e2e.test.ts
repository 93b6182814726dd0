/**
 * What a user does: examples/program (TypeScript) in a fresh directory, `npm pack` of this package installed
 * into it, `avhealth init-pack policy`, and the pack gates the project's preview the same way as the
 * repository's pack (same rules, same verdicts). The install uses the npm registry through npm's cache
 * (--prefer-offline); only the package's own dependency is pointed at the tarball.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { E2E_RULES, emulatorEnv, makeFleet, readJson, reportDir } from "../policy/e2e-support";
import { policyEvents } from "./helpers/events";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";
import { packRepository, installWithTarball } from "./helpers/tarball";
import { REPO_ROOT } from "./helpers/toolchain";

jest.setTimeout(20 * 60 * 1000);

const execFileAsync = promisify(execFile);


const EXAMPLE = path.join(REPO_ROOT, "examples", "program");

describe("a pack made by `avhealth init-pack` in a project that installed the packed package", () => {
  let tmp: string;
  let projectDir: string;
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-tarball-"));
    const tarball = packRepository(tmp);
    projectDir = path.join(tmp, "fresh-project");
    fs.cpSync(EXAMPLE, projectDir, { recursive: true, filter: (p) => !/node_modules|avhealth-reports/.test(p) });
    // The tarball instead of the registry's release; the versions this checkout is tested with for the rest.
    installWithTarball(projectDir, tarball, ["@pulumi/pulumi", "@pulumi/policy", "typescript", "@types/node"]);

    emulator = await startEmulator({ fleet: makeFleet({ devices: 200 }), rateLimit: "off" });
    ws = await createPulumiWorkspace({
      projectDir,
      config: { cacheTtl: "0" },
      env: { ...emulatorEnv(emulator), AZURE_CLIENT_SECRET: emulator.clientSecret, AVHEALTH_CACHE_DIR: path.join(tmp, "cache"), PWD: projectDir },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await emulator?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("writes the pack with the installed CLI; its starter rule file is valid", () => {
    const avhealth = path.join(projectDir, "node_modules", ".bin", "avhealth");
    const out = execFileSync(avhealth, ["init-pack", "policy"], { cwd: projectDir, encoding: "utf8" });
    expect(out).toContain("pulumi preview --policy-pack policy");
    expect(fs.readdirSync(path.join(projectDir, "policy")).sort()).toEqual(["PulumiPolicy.yaml", "cases", "compliance.yaml", "index.js", "package.json"]);
    expect(execFileSync(avhealth, ["validate", "--rules", "policy/compliance.yaml"], { cwd: projectDir, encoding: "utf8" })).toBeDefined();
    // The user's own rules: the same file the repository's pack is tested with.
    fs.copyFileSync(E2E_RULES, path.join(projectDir, "policy", "compliance.yaml"));
  });

  it("passes a compliant fleet and writes the reports into the project", async () => {
    const result = await ws.preview({ policyPacks: [path.join(projectDir, "policy")] });
    expectExit(result, 0);
    expect(policyEvents(result.events)).toEqual([]);
    expect(readJson<{ gate: string }>(path.join(reportDir(projectDir), "avhealth-report.json")).gate).toBe("pass");
    // The example's outputs, including the one computed with getDeviceAvHealth() in the program's process.
    expect(result.stdout).toMatch(/deviceCount\s*:\s*200/);
    expect(result.stdout).toMatch(/canaryRolloutAllowed\s*:\s*true/);
  });

  it("fails a mandatory breach with the rule id and percent, as the repository's pack does", async () => {
    emulator.setFleet({ fleet: makeFleet({ devices: 200, outdatedSignatures: 10 }) });
    const result = await ws.preview({ policyPacks: [path.join(projectDir, "policy")] });
    expectExit(result, 1);
    const events = policyEvents(result.events, "signatures-current");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ enforcementLevel: "mandatory", policyPackName: "avhealth" });
    expect(events[0].message).toContain("rule signatures-current failed: 95.00% of 200 counted devices comply, required ≥ 98%");
  });

  it("reads export parts in worker threads from the installed package, as the JSON method reads the same fleet", async () => {
    const avhealth = path.join(projectDir, "node_modules", ".bin", "avhealth");
    const env = { ...process.env, ...emulatorEnv(emulator), AZURE_CLIENT_SECRET: emulator.clientSecret };
    // Asynchronously: the emulator answers from this process.
    const lines = async (method: string, workers: string): Promise<string[]> => {
      const out = path.join(tmp, `installed-${method}-${workers}.ndjson.gz`);
      await execFileAsync(avhealth, ["fetch", "--method", method, "--out", out], { cwd: projectDir, env: { ...env, AVHEALTH_PART_WORKERS: workers } });
      return zlib.gunzipSync(fs.readFileSync(out)).toString("utf8").trimEnd().split("\n");
    };
    const viaWorkers = await lines("files", "2");
    expect(JSON.parse(viaWorkers[0] as string)).toMatchObject({ method: "files", complete: true, deviceCount: 200 });
    expect(viaWorkers.slice(1)).toEqual((await lines("json", "0")).slice(1));
  });
});
