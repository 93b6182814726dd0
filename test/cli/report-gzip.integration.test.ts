/**
 * The gzip-compressed JSON report end to end: the emulator serves a generated fleet over real HTTPS, `avhealth
 * check --format json,json.gz,...` writes both forms, and each is then given back as the baseline of a later
 * check. The compressed report must be the plain one gzipped, and a check against it must write exactly what
 * a check against the plain one writes; a damaged one stops the check before any report is written.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { AvHealthReport } from "../../src/report-model/types";
import { emulatorEnv } from "../helpers/emulator-env";
import { runAvhealth } from "./run-cli";

const REFERENCE = "2026-11-27T10:00:00Z";
const BEFORE = "2026-11-20T12:00:00Z";
const NOW = "2026-11-27T12:00:00Z";
const RULES = path.join(__dirname, "../../examples/rules/compliance.yaml");
const FORMATS = "json,json.gz,md,csv";

describe("avhealth check --format json.gz, and a compressed report as the baseline", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const check = (out: string, now: string, extra: string[] = []) =>
    runAvhealth(["check", "--rules", "rules.yaml", "--snapshot", "fleet.gz", "--now", now, "--report-dir", out, "--format", FORMATS, ...extra], { env, cwd: dir });
  const read = (out: string, file: string) => fs.readFile(path.join(dir, out, file));

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-report-gzip-"));
    await fs.copyFile(RULES, path.join(dir, "rules.yaml"));
    emulator = await startEmulator({ devices: 3000, seed: "15", rateLimit: "off", referenceTime: REFERENCE });
    env = emulatorEnv(emulator);
    expect((await runAvhealth(["fetch", "--out", "fleet.gz"], { env, cwd: dir })).code).toBe(0);
    // The earlier evaluation, a week before: the time-based rules' failing devices differ from now.
    const before = await check("before", BEFORE);
    expect(before.code).toBe(1);
  }, 60_000);

  afterAll(async () => {
    await emulator.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("writes avhealth-report.json.gz as the gzip of avhealth-report.json, and names it among the reports", async () => {
    const plain = await read("before", "avhealth-report.json");
    const compressed = await read("before", "avhealth-report.json.gz");
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(compressed).equals(plain)).toBe(true);
    expect(compressed.length).toBeLessThan(plain.length / 5);
    const report = JSON.parse(plain.toString("utf8")) as AvHealthReport;
    expect(report.rules.reduce((sum, r) => sum + r.failingDevices.length, 0)).toBeGreaterThan(1000);
    const md = (await read("before", "avhealth-report.md")).toString("utf8");
    expect(md).toContain("all of them are in avhealth-report.json and avhealth-report.json.gz and avhealth-report.csv");
  });

  it("a check against the compressed report writes byte-identical reports to one against the plain report", async () => {
    // The same path for both (the content decides how a baseline is read, not the name), so the reports, which
    // name their baseline, may be equal byte for byte.
    const baseline = path.join(dir, "baseline.json");
    await fs.copyFile(path.join(dir, "before", "avhealth-report.json"), baseline);
    const fromPlain = await check("vs-plain", NOW, ["--baseline", "baseline.json"]);
    await fs.copyFile(path.join(dir, "before", "avhealth-report.json.gz"), baseline);
    const fromGz = await check("vs-gz", NOW, ["--baseline", "baseline.json"]);
    expect(fromPlain.code).toBe(1);
    expect(fromGz.code).toBe(fromPlain.code);
    expect(fromGz.stdout).toBe(fromPlain.stdout);
    for (const file of ["avhealth-report.json", "avhealth-report.json.gz", "avhealth-report.md", "avhealth-report.csv"]) {
      expect((await read("vs-gz", file)).equals(await read("vs-plain", file))).toBe(true);
    }
    // The comparison really happened: devices changed between the two evaluations.
    const report = JSON.parse((await read("vs-gz", "avhealth-report.json")).toString("utf8")) as AvHealthReport;
    expect(report.baseline?.file).toBe("baseline.json");
    const changes = report.rules.reduce((sum, r) => sum + (r.comparison === null ? 0 : r.comparison.newlyFailing.length + r.comparison.fixed.length), 0);
    expect(changes).toBeGreaterThan(5);
  });

  it("the compressed report given under its own name is read as well", async () => {
    const run = await check("by-name", NOW, ["--baseline", "before/avhealth-report.json.gz"]);
    expect(run.code).toBe(1);
    const report = JSON.parse((await read("by-name", "avhealth-report.json")).toString("utf8")) as AvHealthReport;
    expect(report.baseline).toMatchObject({ file: path.join("before", "avhealth-report.json.gz") });
    expect(report.rules.filter((r) => r.comparison !== null).length).toBeGreaterThan(3);
  });

  it.each([
    ["truncated", (gz: Buffer) => gz.subarray(0, Math.floor(gz.length * 0.6)), "is a damaged gzip file (unexpected end of file)"],
    ["corrupted inside", (gz: Buffer) => Buffer.concat([gz.subarray(0, 200), Buffer.alloc(64, 0x55), gz.subarray(264)]), "is a damaged gzip file"],
  ])("a %s compressed baseline exits 2 with BASELINE_INVALID naming the file, before any report is written", async (name, damage, message) => {
    const file = `damaged-${name.split(" ")[0]}.json.gz`;
    await fs.writeFile(path.join(dir, file), damage(await read("before", "avhealth-report.json.gz")));
    const out = `bad-${file}`;
    const run = await check(out, NOW, ["--baseline", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`baseline ${file} ${message}`);
    expect(run.stderr).toContain("[BASELINE_INVALID]");
    await expect(fs.stat(path.join(dir, out))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
