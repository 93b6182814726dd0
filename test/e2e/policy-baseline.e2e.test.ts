/**
 * The policy pack with a baseline in real `pulumi preview` runs against the emulator: the first preview's JSON
 * report becomes the baseline (AVHEALTH_BASELINE, then stack config avhealth:baseline) of the next, where one
 * newly failing device regresses a rule that still meets its threshold; a missing baseline fails closed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { AvHealthReport } from "../../src/report-model/types";
import { POLICY_PACK, emulatorEnv, makeFleet, makeTestProject, readJson, reportDir, type TestProject } from "../policy/e2e-support";
import { policyEvents } from "./helpers/events";
import { createPulumiWorkspace, expectExit, type PulumiWorkspace } from "./helpers/pulumi";

jest.setTimeout(15 * 60 * 1000);

const RULES = `version: 1
rules:
  - id: signatures-current
    description: Devices have up-to-date security intelligence
    enforcement: mandatory
    require: { avIsSignatureUpToDate: true }
    threshold: { minPercent: 98 }
    regression: { maxNewlyFailing: 0 }
`;


describe("policy pack with a baseline in pulumi preview (real CLI, emulator)", () => {
  let emulator: RunningEmulator;
  let project: TestProject;
  let ws: PulumiWorkspace;
  let scratch: string;
  const report = () => readJson<AvHealthReport>(path.join(reportDir(project.dir), "avhealth-report.json"));

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: makeFleet({ devices: 200, outdatedSignatures: 2 }), rateLimit: "off" });
    project = makeTestProject("avhealth-e2e-baseline");
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-baseline-"));
    const rulesFile = path.join(scratch, "rules.yaml");
    fs.writeFileSync(rulesFile, RULES);
    ws = await createPulumiWorkspace({
      projectDir: project.dir,
      config: { cacheTtl: "0" },
      env: {
        ...emulatorEnv(emulator),
        AZURE_CLIENT_SECRET: emulator.clientSecret,
        AVHEALTH_CACHE_DIR: path.join(scratch, "cache"),
        AVHEALTH_RULES_FILE: rulesFile,
        PWD: project.dir,
      },
    });
  });

  afterAll(async () => {
    await ws?.cleanup();
    project?.remove();
    await emulator?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("compares with the previous preview's report and blocks on one newly failing device", async () => {
    const first = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(first, 0);
    expect(report().rules[0]).toMatchObject({ status: "pass", percent: 99, comparison: null, baselineNote: "no baseline given; regression changed nothing" });
    fs.copyFileSync(path.join(reportDir(project.dir), "avhealth-report.json"), path.join(project.dir, "baseline.json"));

    // One more device out of date: 98.5% still meets the 98% threshold, but 1 newly failing > 0 allowed.
    emulator.setFleet({ fleet: makeFleet({ devices: 200, outdatedSignatures: 3 }) });
    const second = await ws.preview({ policyPacks: [POLICY_PACK], env: { AVHEALTH_BASELINE: "baseline.json" } });
    expectExit(second, 1);
    expect(second.stdout).toContain("98.50% of 200 counted devices comply, required ≥ 98%");
    expect(second.stdout).toContain("It regressed since the baseline: percent −0.50 points, 1 device newly failing (allowed 0).");
    expect(policyEvents(second.events, "signatures-current")).toHaveLength(1);
    const compared = report();
    expect(compared.baseline?.file).toBe("baseline.json");
    expect(compared.rules[0]).toMatchObject({ status: "fail", comparison: { baselineStatus: "pass", baselinePercent: 99, regressed: true } });
    expect(compared.rules[0]?.comparison?.newlyFailing.map((d) => d.computerDnsName)).toEqual(["pc-000002.contoso.com"]);
    expect(fs.readFileSync(path.join(reportDir(project.dir), "avhealth-report.md"), "utf8")).toContain("### Changes since the baseline");
  });

  it("takes stack config avhealth:baseline when the environment names none", async () => {
    await ws.setConfig("avhealth:baseline", "baseline.json");
    const result = await ws.preview({ policyPacks: [POLICY_PACK] });
    expectExit(result, 1);
    expect(report().baseline?.file).toBe("baseline.json");
  });

  it("fails every mandatory rule closed when the baseline file is missing, naming it", async () => {
    emulator.setFleet({ fleet: makeFleet({ devices: 200 }) });
    const result = await ws.preview({ policyPacks: [POLICY_PACK], env: { AVHEALTH_BASELINE: "no-such-report.json" } });
    expectExit(result, 1);
    expect(result.stdout).toContain("rule signatures-current cannot be checked, so it fails closed: baseline no-such-report.json does not exist");
    expect(result.stdout).toContain("(named by AVHEALTH_BASELINE) [BASELINE_INVALID]");
  });
});
