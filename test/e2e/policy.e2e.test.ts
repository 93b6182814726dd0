/**
 * The policy pack in policies/ gating real `pulumi preview` runs of a project that uses DeviceAvHealth, against
 * the emulator: compliant, mandatory breach, advisory breach, re-levelled by --policy-pack-config, an invalid
 * rule file, and data left incomplete by faults. One workspace and one emulator serve the cases in order
 * (cacheTtl 0, so each preview sees the fleet the emulator serves at that moment).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { E2E_RULES, E2E_RULES_INVALID, POLICY_PACK, emulatorEnv, makeFleet, makeTestProject, readJson, reportDir, type TestProject } from "../policy/e2e-support";
import { policyEvents } from "./helpers/events";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";

jest.setTimeout(15 * 60 * 1000);

interface Report {
  gate: string;
  snapshot: { deviceCount: number; complete: boolean };
  rules: Array<{ id: string; status: string; percent: number }>;
}


describe("policy pack gating pulumi preview (real CLI, emulator)", () => {
  let emulator: RunningEmulator;
  let project: TestProject;
  let ws: PulumiWorkspace;
  let cacheDir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: makeFleet({ devices: 200 }), rateLimit: "off" });
    project = makeTestProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    ws = await createPulumiWorkspace({
      projectDir: project.dir,
      config: { cacheTtl: "0" },
      env: {
        ...emulatorEnv(emulator),
        AZURE_CLIENT_SECRET: emulator.clientSecret,
        AVHEALTH_CACHE_DIR: cacheDir,
        AVHEALTH_RULES_FILE: E2E_RULES,
        // As from a shell in the project directory: the pack finds the project root, where the reports go.
        PWD: project.dir,
      },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    project?.remove();
    await emulator?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("passes a compliant fleet (exit 0) and writes the JSON and Markdown reports", async () => {
    const result = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(result, 0);
    expect(policyEvents(result.events)).toEqual([]);
    const report = readJson<Report>(path.join(reportDir(project.dir), "avhealth-report.json"));
    expect(report.gate).toBe("pass");
    expect(report.snapshot).toMatchObject({ deviceCount: 200, complete: true });
    expect(report.rules.map((r) => [r.id, r.status, r.percent])).toEqual([
      ["signatures-current", "pass", 100],
      ["active-mode", "pass", 100],
    ]);
    expect(fs.readFileSync(path.join(reportDir(project.dir), "avhealth-report.md"), "utf8")).toContain("signatures-current");
  });

  it("fails on a mandatory breach (exit 1) with the rule id and percent in the output and the policy event", async () => {
    emulator.setFleet({ fleet: makeFleet({ devices: 200, outdatedSignatures: 10 }) });
    const result = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(result, 1);
    expect(result.stdout).toContain("signatures-current");
    expect(result.stdout).toContain("95.00% of 200 counted devices comply, required ≥ 98%");
    const events = policyEvents(result.events, "signatures-current");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ enforcementLevel: "mandatory", policyPackName: "avhealth" });
    expect(events[0].message).toContain("rule signatures-current failed: 95.00%");
    expect(events[0].resourceUrn).toMatch(/DeviceAvHealth::fleet$/);
    expect(readJson<Report>(path.join(reportDir(project.dir), "avhealth-report.json")).gate).toBe("fail");
  });

  it("lets --policy-pack-config turn that mandatory rule advisory (exit 0 with a warning) and choose the reports", async () => {
    const dir = path.join(ws.tempDir, "reports");
    const config = { "signatures-current": "advisory", "avhealth-reports": { formats: ["sarif", "junit", "html"], dir } };
    const result = await ws.preview({ policyPacks: [{ dir: POLICY_PACK, config }] });
    expectExit(result, 0);
    const events = policyEvents(result.events, "signatures-current");
    expect(events).toHaveLength(1);
    expect(events[0].enforcementLevel).toBe("advisory");
    expect(events[0].message).toContain("95.00%");
    expect(fs.readdirSync(dir).sort()).toEqual(["avhealth-report.html", "avhealth-report.junit.xml", "avhealth-report.sarif"]);
  });

  it("passes an advisory-only breach (exit 0) with the warning", async () => {
    emulator.setFleet({ fleet: makeFleet({ devices: 200, passive: 20 }) });
    const result = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(result, 0);
    expect(result.stdout).toMatch(/\[advisory\].*active-mode/);
    expect(result.stdout).toContain("90.00% of 200 counted devices comply, required ≥ 95%");
    expect(policyEvents(result.events).map((e) => [e.policyName, e.enforcementLevel])).toEqual([["active-mode", "advisory"]]);
  });

  it("fails on an invalid rule file with the located error", async () => {
    const result = await ws.preview({ policyPacks: [POLICY_PACK], env: { AVHEALTH_RULES_FILE: E2E_RULES_INVALID } });
    expectExit(result, 1);
    expect(result.stdout).toContain("avhealth-rules-invalid");
    expect(result.stdout).toMatch(/e2e-rules-invalid\.yaml:7:\d+ rules\[0\]\.require\.avMode/);
    const events = policyEvents(result.events, "avhealth-rules-invalid");
    expect(events).toHaveLength(1);
    expect(events[0].enforcementLevel).toBe("mandatory");
  });

  it("fails a mandatory rule when faults leave the snapshot incomplete, saying the data is incomplete", async () => {
    const faulty = await startEmulator({ fleet: makeFleet({ devices: 200 }), rateLimit: "off", faults: "blob:truncate%100" });
    try {
      await ws.setConfig("method", "files");
      const result = await ws.preview({ policyPacks: [POLICY_PACK], env: { ...emulatorEnv(faulty), AZURE_CLIENT_SECRET: faulty.clientSecret } });
      expectExit(result, 1);
      const events = policyEvents(result.events, "signatures-current");
      expect(events).toHaveLength(1);
      expect(events[0].enforcementLevel).toBe("mandatory");
      expect(events[0].message).toMatch(/rule signatures-current cannot pass: the data is incomplete \(the snapshot holds 0 devices; lost: part 1 of \d+/);
      expect(faulty.requestCounts().blob).toBeGreaterThan(1);
    } finally {
      await ws.setConfig("method", "auto");
      await faulty.close();
    }
  });
});
