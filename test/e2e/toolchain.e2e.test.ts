/**
 * Proves the Pulumi toolchain end to end and pins the engine behaviour the DeviceAvHealth provider and the
 * compliance pack rely on: a dynamic resource's `check` output reaches a policy pack during preview, a
 * mandatory violation fails the preview, stack config reaches the pack when it starts, and up/destroy work with
 * the serialized provider in the plugin process. Fixture: test/e2e/fixtures/toolchain (program + pack).
 * Findings: docs/pulumi-engine-notes.md. Runs in the normal `npx jest`; CI builds the toolchain first
 * (scripts/ensure-pulumi) and exports AVHEALTH_PULUMI_BIN.
 */
import { existsSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { policyEvents, stackPolicySummaries } from "./helpers/events";
import { PulumiResult, PulumiWorkspace, copyFixture, createPulumiWorkspace, expectExit, removeFixture } from "./helpers/pulumi";
import { PULUMI_VERSION } from "./helpers/toolchain";

const POLICY = "probe-enriched-verdict";
const PACK = "toolchain-e2e";
const PROBE_TYPE = "pulumi-nodejs:dynamic/e2e:Probe";

/** One line the fixture provider or pack appended to the trace file. */
interface TraceLine {
  source: "provider" | "policy";
  event: string;
  [key: string]: unknown;
}

interface ExportedState {
  deployment: { resources?: Array<{ type: string; outputs?: Record<string, unknown> }> };
}

// Generous: each command starts node, the engine and a policy pack on a shared two-core machine.
jest.setTimeout(10 * 60 * 1000);

describe("Pulumi toolchain (real CLI, dynamic provider, policy pack)", () => {
  let ws: PulumiWorkspace | undefined;
  let packDir: string | undefined;
  let traceFile = "";

  const workspace = (): PulumiWorkspace => {
    if (ws === undefined) {
      throw new Error("workspace not created");
    }
    return ws;
  };
  const pack = (): string => packDir ?? "";
  const readTrace = (): TraceLine[] =>
    existsSync(traceFile)
      ? readFileSync(traceFile, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as TraceLine)
      : [];
  const lines = (trace: TraceLine[], source: string, event: string): TraceLine[] =>
    trace.filter((l) => l.source === source && l.event === event);
  // Provider and pack inherit the CLI's environment, so the trace file and the marker reach both processes.
  const env = (): Record<string, string> => ({ AVHEALTH_E2E_TRACE: traceFile, AVHEALTH_E2E_MARKER: "from-env" });
  // Each command starts with an empty trace so what it holds belongs to that command alone.
  const traced = async (command: () => Promise<PulumiResult>): Promise<{ result: PulumiResult; trace: TraceLine[] }> => {
    rmSync(traceFile, { force: true });
    const result = await command();
    return { result, trace: readTrace() };
  };
  // Fails with the CLI's whole output, which is what one needs to see when the engine disagrees.
  const probesInState = async (): Promise<Array<{ type: string; outputs?: Record<string, unknown> }>> => {
    const state = (await workspace().stackExport()) as ExportedState;
    return (state.deployment.resources ?? []).filter((r) => r.type === PROBE_TYPE);
  };

  beforeAll(async () => {
    packDir = copyFixture("test/e2e/fixtures/toolchain/policy");
    ws = await createPulumiWorkspace({
      projectDir: copyFixture("test/e2e/fixtures/toolchain/program"),
      config: { verdict: "fail", token: { value: "s3cret-value", secret: true } },
    });
    traceFile = join(ws.tempDir, "trace.jsonl");
  });

  afterAll(async () => {
    if (ws !== undefined) {
      await ws.cleanup();
      removeFixture(ws.projectDir);
    }
    if (packDir !== undefined) {
      removeFixture(packDir);
    }
  });

  it("runs the pinned CLI version", async () => {
    const r = await workspace().run(["version"]);
    expectExit(r, 0);
    expect(r.stdout.trim()).toBe(`v${PULUMI_VERSION}`);
  });

  it("fails the preview (exit 1) on a mandatory violation, with the policyEvent in the event log", async () => {
    const { result, trace } = await traced(() => workspace().preview({ policyPacks: [pack()], env: env() }));
    expectExit(result, 1);

    const violations = policyEvents(result.events, POLICY);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      policyPackName: PACK,
      policyPackVersion: "0.0.1",
      enforcementLevel: "mandatory",
      resourceUrn: `urn:pulumi:e2e::toolchain-e2e::${PROBE_TYPE}::probe`,
    });
    // "checked:fail" exists only in what the provider's check returned: the pack saw post-check inputs.
    expect(violations[0]?.message).toContain('probe enrichedVerdict is "checked:fail"');
    expect(stackPolicySummaries(result.events)).toEqual([
      { policyPackName: PACK, policyPackVersion: "0.0.1", passed: [], failed: [POLICY] },
    ]);

    // check ran in preview for the new resource (no olds); nothing was created.
    expect(lines(trace, "provider", "check")).toEqual([{ source: "provider", event: "check", hadOlds: false, verdict: "fail" }]);
    expect(lines(trace, "provider", "create")).toHaveLength(0);
    expect(lines(trace, "policy", "validateStack")).toHaveLength(1);
  });

  it("starts the pack with the stack, the dry-run flag, decrypted stack config and the CLI's environment", async () => {
    const { trace } = await traced(() => workspace().preview({ policyPacks: [pack()], env: env() }));
    const construct = lines(trace, "policy", "construct");
    expect(construct).toHaveLength(1);
    expect(construct[0]).toMatchObject({
      cwd: pack(),
      configVerdict: "fail",
      isDryRun: true,
      stack: "e2e",
      project: "toolchain-e2e",
      marker: "from-env",
    });
    // PULUMI_CONFIG holds every stack value, secrets decrypted: a pack must never log it.
    expect(JSON.parse(String(construct[0]?.pulumiConfigEnv))).toEqual({
      "toolchain-e2e:verdict": "fail",
      "toolchain-e2e:token": "s3cret-value",
    });
  });

  it("lets --policy-pack-config re-level the policy to advisory: exit 0, advisory policyEvent", async () => {
    const result = await workspace().preview({
      policyPacks: [{ dir: pack(), config: { [POLICY]: "advisory" } }],
      env: env(),
    });
    expectExit(result, 0);
    const events = policyEvents(result.events, POLICY);
    expect(events.map((e) => e.enforcementLevel)).toEqual(["advisory"]);
  });

  it("passes the preview (exit 0) when the enriched value satisfies the policy, and the pack was consulted", async () => {
    await workspace().setConfig("verdict", "pass");
    const { result, trace } = await traced(() => workspace().preview({ policyPacks: [pack()], env: env() }));
    expectExit(result, 0);
    expect(policyEvents(result.events)).toHaveLength(0);
    expect(stackPolicySummaries(result.events)).toEqual([
      { policyPackName: PACK, policyPackVersion: "0.0.1", passed: [POLICY], failed: [] },
    ]);
    const validations = lines(trace, "policy", "validateStack");
    expect(validations).toHaveLength(1);
    expect(validations[0]?.probes).toEqual([
      { urn: `urn:pulumi:e2e::toolchain-e2e::${PROBE_TYPE}::probe`, props: { enrichedVerdict: "checked:pass", verdict: "pass" } },
    ]);
  });

  it("runs pulumi up: program, check and pack run in both passes, create once; state holds the enriched output", async () => {
    const { result, trace } = await traced(() => workspace().up({ policyPacks: [pack()], env: env() }));
    expectExit(result, 0);
    expect(lines(trace, "provider", "check")).toHaveLength(2);
    expect(lines(trace, "provider", "create")).toHaveLength(1);
    // One pack process per pass: the preview pass sees dry-run, the update pass does not.
    expect(lines(trace, "policy", "construct").map((l) => l.isDryRun)).toEqual([true, false]);
    expect(lines(trace, "policy", "validateStack")).toHaveLength(2);
    expect(stackPolicySummaries(result.events).map((s) => s.passed)).toEqual([[POLICY]]);

    const probes = await probesInState();
    expect(probes).toHaveLength(1);
    expect(probes[0]?.outputs).toEqual(expect.objectContaining({ enrichedVerdict: "checked:pass", verdict: "pass" }));
  });

  it("runs pulumi up again without changes: check and diff in both passes, no create or update", async () => {
    const { result, trace } = await traced(() => workspace().up({ env: env() }));
    expectExit(result, 0);
    expect(lines(trace, "provider", "check")).toHaveLength(2);
    expect(lines(trace, "provider", "diff").map((l) => l.changes)).toEqual([false, false]);
    expect(lines(trace, "provider", "create").length + lines(trace, "provider", "update").length).toBe(0);
  });

  it("runs pulumi destroy and leaves no probe in state", async () => {
    const { result, trace } = await traced(() => workspace().destroy({ env: env() }));
    expectExit(result, 0);
    expect(lines(trace, "provider", "delete")).toHaveLength(1);
    expect(await probesInState()).toHaveLength(0);
  });
});
