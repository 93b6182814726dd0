/**
 * The pack's history under a real `pulumi up` (preview and update passes, both running the pack) against the
 * emulator: one line per `up` while the fleet and results stay the same, a new line when they change, and the
 * reports chart what the file holds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { parseHistory } from "../../src/history";
import { E2E_RULES, POLICY_PACK, emulatorEnv, makeFleet, makeTestProject, reportDir, type TestProject } from "../policy/e2e-support";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";

jest.setTimeout(15 * 60 * 1000);


describe("policy pack history across pulumi up (real CLI, emulator)", () => {
  let emulator: RunningEmulator;
  let project: TestProject;
  let ws: PulumiWorkspace;
  let cacheDir: string;
  let history: string;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: makeFleet({ devices: 200 }), rateLimit: "off" });
    project = makeTestProject();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-cache-"));
    history = path.join(project.dir, "state", "history.jsonl");
    ws = await createPulumiWorkspace({
      projectDir: project.dir,
      // Each pass fetches afresh: the two passes agree because the fleet does, not because they share a fetch.
      config: { cacheTtl: "0", "avhealth:history": "state/history.jsonl" },
      env: { ...emulatorEnv(emulator), AZURE_CLIENT_SECRET: emulator.clientSecret, AVHEALTH_CACHE_DIR: cacheDir, AVHEALTH_RULES_FILE: E2E_RULES, PWD: project.dir },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    project?.remove();
    await emulator?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const entries = () => parseHistory(fs.readFileSync(history, "utf8"), history).entries;

  it("adds one line for the two passes of one up, and one more when the fleet changes", async () => {
    expectExit(await ws.up({ policyPacks: [POLICY_PACK] }), 0);
    expect(emulator.requestCounts().deviceavinfo).toBeGreaterThanOrEqual(2);
    expect(entries()).toHaveLength(1);
    expect(entries()[0]).toMatchObject({ gate: "pass", deviceCount: 200, rules: { "signatures-current": { status: "pass", percent: 100, counted: 200, failing: 0 } } });

    emulator.setFleet({ fleet: makeFleet({ devices: 200, passive: 20 }) });
    expectExit(await ws.up({ policyPacks: [POLICY_PACK] }), 0);
    const after = entries();
    expect(after).toHaveLength(2);
    expect(after[1]?.rules["active-mode"]).toEqual({ status: "fail", percent: 90, counted: 200, failing: 20 });

    const md = fs.readFileSync(path.join(reportDir(project.dir), "avhealth-report.md"), "utf8");
    expect(md).toContain("### Last 2 gates");
  });
});
