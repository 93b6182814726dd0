/**
 * Baselines end to end: the emulator serves fleet A over real HTTPS, `avhealth check` writes report A; the
 * emulator then serves fleet B (A with devices removed, fixed, newly failing and added) and `avhealth check
 * --baseline` compares B with report A. The expected figures follow from how B was made from A's report.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { generateDevice } from "../../src/emulator/fleet/generate";
import { seedWords } from "../../src/emulator/fleet/prng";
import type { ApiDeviceRecord } from "../../src/emulator/types";
import type { AvHealthReport, RuleResult } from "../../src/report-model/types";
import { emulatorEnv } from "../helpers/emulator-env";
import { runAvhealth } from "./run-cli";

const REFERENCE = "2026-11-27T10:00:00Z";
const NOW = "2026-11-27T12:00:00Z";
const TENANT = "0f3c2a6e-1111-4c5d-9e8f-0123456789ab";

// sig-ratchet fails its threshold in both fleets: with the ratchet and B no worse, it passes (ratcheted).
// sig-new-devices always meets its threshold; B has 8 newly failing devices, more than the 5 allowed: it fails.
const RULES = `version: 1
rules:
  - id: sig-ratchet
    description: Signatures current, not worse than the baseline
    enforcement: mandatory
    require: { avIsSignatureUpToDate: true }
    threshold: { minPercent: 100 }
    regression: { ratchet: true, maxNewlyFailing: 10 }
  - id: sig-new-devices
    description: Signatures current, at most 5 newly failing
    enforcement: mandatory
    require: { avIsSignatureUpToDate: true }
    threshold: { minPercent: 0 }
    regression: { maxNewlyFailing: 5 }
  - id: engine-current
    description: Engine current (no regression key)
    require: { avIsEngineUpToDate: true }
    threshold: { minPercent: 0 }
`;

describe("avhealth check --baseline over two emulator fleets", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const fleetA: ApiDeviceRecord[] = Array.from({ length: 400 }, (_, i) => generateDevice(seedWords("21"), i, Date.parse(REFERENCE)));
  let reportA: AvHealthReport;
  const planned = { left: [] as string[], fixed: [] as string[], newlyFailing: [] as string[] };

  const check = (out: string, extra: string[] = [], snapshot = "b.gz") =>
    runAvhealth(["check", "--rules", "rules.yaml", "--snapshot", snapshot, "--now", NOW, "--report-dir", out, "--format", "json,md,sarif,junit,html,csv", ...extra], { env, cwd: dir });
  const readReport = async (out: string) => JSON.parse(await fs.readFile(path.join(dir, out, "avhealth-report.json"), "utf8")) as AvHealthReport;
  const rule = (report: AvHealthReport, id: string) => report.rules.find((r) => r.id === id) as RuleResult;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-baseline-cli-"));
    await fs.writeFile(path.join(dir, "rules.yaml"), RULES);
    emulator = await startEmulator({ fleet: fleetA, rateLimit: "off", tenantId: TENANT, referenceTime: REFERENCE });
    env = emulatorEnv(emulator);

    // Run 1: fleet A, no baseline.
    expect((await runAvhealth(["fetch", "--out", "a.gz"], { env, cwd: dir })).code).toBe(0);
    const first = await check("a", [], "a.gz");
    expect(first.code).toBe(1);
    reportA = await readReport("a");

    // Fleet B from A's report: 10 failing devices leave, 7 devices failing on a false flag are fixed, 5 passing
    // devices turn false, and 3 new devices arrive failing.
    const failingA = rule(reportA, "sig-ratchet").failingDevices;
    const failingIds = new Set(failingA.map((d) => d.machineId));
    planned.left = failingA.slice(0, 10).map((d) => d.machineId);
    planned.fixed = failingA.slice(10).filter((d) => d.reason.startsWith("avIsSignatureUpToDate is false")).slice(0, 7).map((d) => d.machineId);
    const passing = fleetA.filter((d) => !failingIds.has(d.machineId as string)).slice(0, 5);
    const added = [0, 1, 2].map((k) => ({ ...(passing[0] as ApiDeviceRecord), id: `${"e".repeat(39)}${k}`, machineId: `${"e".repeat(39)}${k}`, computerDnsName: `new-${k}.contoso.com`, avIsSignatureUpToDate: "False" }));
    planned.newlyFailing = [...passing.map((d) => d.machineId as string), ...added.map((d) => d.machineId)];
    const fleetB = fleetA
      .filter((d) => !planned.left.includes(d.machineId as string))
      .map((d) => (planned.fixed.includes(d.machineId as string) ? { ...d, avIsSignatureUpToDate: "True" } : passing.includes(d) ? { ...d, avIsSignatureUpToDate: "False" } : d))
      .concat(added);
    emulator.setFleet({ fleet: fleetB });
    expect((await runAvhealth(["fetch", "--out", "b.gz"], { env, cwd: dir })).code).toBe(0);
  });

  afterAll(async () => {
    await emulator.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("report A records the tenant and has no baseline", () => {
    expect(reportA.schemaVersion).toBe(2);
    expect(reportA.snapshot.tenantId).toBe(TENANT);
    expect(reportA.baseline).toBeNull();
    expect(rule(reportA, "sig-ratchet")).toMatchObject({ status: "fail", comparison: null, baselineNote: "no baseline given; regression changed nothing" });
    expect(planned.left).toHaveLength(10);
    expect(planned.fixed).toHaveLength(7);
  });

  it("run 2 compares fleet B with report A: exact device changes, ratchet passes, regression fails (exit 1)", async () => {
    const run = await check("b", ["--baseline", "a/avhealth-report.json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^rule +status +percent +threshold +counted +fail +unknown +enforcement +since baseline$/m);
    expect(run.stdout).toMatch(/^sig-ratchet +pass .* pts, 8 new, 7 fixed, 10 left ratcheted$/m);
    expect(run.stdout).toMatch(/^sig-new-devices +fail .* 8 new, 7 fixed, 10 left regressed$/m);
    const report = await readReport("b");
    expect(report.baseline).toEqual({ file: path.join("a", "avhealth-report.json"), evaluatedAt: "2026-11-27T12:00:00.000Z", snapshotDigest: reportA.snapshot.digest });

    const ratchet = rule(report, "sig-ratchet");
    const c = ratchet.comparison;
    expect(c).not.toBeNull();
    expect(c?.newlyFailing.map((d) => d.machineId).sort()).toEqual([...planned.newlyFailing].sort());
    expect(c?.fixed.map((d) => d.machineId).sort()).toEqual([...planned.fixed].sort());
    expect(c?.left.map((d) => d.machineId).sort()).toEqual([...planned.left].sort());
    expect(c?.waived).toEqual([]);
    // failing: A's − 10 left − 7 fixed + 8 newly failing; counted: A's − 10 + 3.
    const a = rule(reportA, "sig-ratchet").counts;
    expect(ratchet.counts.failing).toBe(a.failing - 10 - 7 + 8);
    expect(ratchet.counts.counted).toBe(a.counted - 10 + 3);
    const expectedDelta = (100 * ratchet.counts.passing) / ratchet.counts.counted - rule(reportA, "sig-ratchet").percent;
    expect(c?.percentDelta).toBeCloseTo(expectedDelta, 10);
    expect(c?.percentDelta).toBeGreaterThan(0);
    expect(ratchet).toMatchObject({ status: "pass", comparison: { baselineStatus: "fail", ratcheted: true, regressed: false } });

    expect(rule(report, "sig-new-devices")).toMatchObject({ status: "fail", comparison: { baselineStatus: "pass", regressed: true, ratcheted: false } });
    expect(rule(report, "sig-new-devices").baselineNote).toContain("8 devices newly failing (allowed 5)");
    expect(rule(report, "engine-current").comparison?.regressed).toBe(false);
    expect(report.gate).toBe("fail");

    const md = await fs.readFile(path.join(dir, "b", "avhealth-report.md"), "utf8");
    expect(md).toContain("### Changes since the baseline");
    expect(md).toContain("#### sig-ratchet: 8 newly failing devices");
    const sarif = JSON.parse(await fs.readFile(path.join(dir, "b", "avhealth-report.sarif"), "utf8")) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.baselineState])).toEqual([
      ["sig-ratchet", "absent"],
      ["sig-new-devices", "new"],
    ]);
    const csv = await fs.readFile(path.join(dir, "b", "avhealth-report.csv"), "utf8");
    expect(csv.split("\r\n").filter((l) => l.startsWith("sig-ratchet,") && l.includes(",left,"))).toHaveLength(10);
  });

  it("the same inputs and --now give byte-identical JSON with a baseline", async () => {
    await check("b1", ["--baseline", "a/avhealth-report.json"]);
    await check("b2", ["--baseline", "a/avhealth-report.json"]);
    const [one, two] = await Promise.all(["b1", "b2"].map((out) => fs.readFile(path.join(dir, out, "avhealth-report.json"))));
    expect(one?.equals(two as Buffer)).toBe(true);
  });

  it("takes settings.baseline from the rule file, relative to it", async () => {
    await fs.mkdir(path.join(dir, "policy"), { recursive: true });
    await fs.writeFile(path.join(dir, "policy", "rules.yaml"), RULES.replace("version: 1\n", "version: 1\nsettings:\n  baseline: ../a/avhealth-report.json\n"));
    const run = await runAvhealth(["check", "--rules", "policy/rules.yaml", "--snapshot", "b.gz", "--now", NOW, "--report-dir", "s", "--format", "json"], { env, cwd: dir });
    expect(run.code).toBe(1);
    expect((await readReport("s")).baseline?.file).toBe(path.join("a", "avhealth-report.json"));
  });

  it("a baseline of another tenant compares nothing and changes no status", async () => {
    await fs.writeFile(path.join(dir, "other-tenant.json"), JSON.stringify({ ...reportA, snapshot: { ...reportA.snapshot, tenantId: "another-tenant" } }));
    const run = await check("t", ["--baseline", "other-tenant.json"]);
    const report = await readReport("t");
    expect(report.rules.map((r) => r.comparison)).toEqual([null, null, null]);
    expect(report.rules.map((r) => r.baselineNote)).toEqual([
      "no baseline: the baseline is of another tenant; regression changed nothing",
      "no baseline: the baseline is of another tenant; regression changed nothing",
      "no baseline: the baseline is of another tenant",
    ]);
    expect(report.rules.map((r) => r.status)).toEqual(["fail", "pass", "pass"]);
    expect(run.code).toBe(1);
  });

  it("a baseline from another rule set: rules it lacks have no baseline, never an error", async () => {
    const renamed = { ...reportA, rules: reportA.rules.map((r) => (r.id === "sig-ratchet" ? { ...r, id: "renamed-rule" } : r)) };
    await fs.writeFile(path.join(dir, "other-rules.json"), JSON.stringify(renamed));
    const run = await check("o", ["--baseline", "other-rules.json"]);
    const report = await readReport("o");
    expect(rule(report, "sig-ratchet")).toMatchObject({ status: "fail", comparison: null, baselineNote: "no baseline: the rule is not in the baseline; regression changed nothing" });
    expect(rule(report, "sig-new-devices").comparison).not.toBeNull();
    expect(run.code).toBe(1);
  });

  it.each([
    ["a missing file", "missing.json", null, "baseline missing.json does not exist"],
    ["a file that is not JSON", "not-json.json", "{ this is not json", "baseline not-json.json is not JSON"],
    ["a JSON file that is not an avhealth report", "snapshot-like.json", JSON.stringify({ kind: "avhealth-snapshot", schemaVersion: 1 }), 'baseline snapshot-like.json is not an avhealth report'],
    ["a report of a newer schema version", "future.json", JSON.stringify({ kind: "avhealth-report", schemaVersion: 3 }), "baseline future.json is report schema version 3; this avhealth reads versions 1 to 2"],
  ])("%s exits 2 naming the file, before any report is written", async (_name, file, content, message) => {
    if (content !== null) await fs.writeFile(path.join(dir, file), content);
    const out = `bad-${file}`;
    const run = await check(out, ["--baseline", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("[BASELINE_INVALID]");
    await expect(fs.stat(path.join(dir, out))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
