/**
 * The avhealth command as a user meets it: the emulator over real HTTPS, credentials in the environment,
 * snapshot and report files on disk, and the exit codes of the CLI contract.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { emulatorEnv } from "../helpers/emulator-env";
import { runAvhealth } from "./run-cli";

const RULES = path.resolve(__dirname, "../../examples/rules/compliance.yaml");
const CANARY = "canary-Secret-7f3a9c~not-for-logs";

describe("avhealth against the emulator", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator({ devices: 1200, seed: 11, rateLimit: "off", clientSecret: CANARY });
    env = emulatorEnv(emulator);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-cli-"));
  });

  afterAll(async () => {
    await emulator.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("fetch writes a complete snapshot and prints the summary (exit 0)", async () => {
    const run = await runAvhealth(["fetch", "--out", "fleet.ndjson.gz"], { env, cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/devices +1200 \(complete\), method json/);
    expect(run.stdout).toMatch(/digest +sha256:[0-9a-f]{64}/);
    const stat = await fs.stat(path.join(dir, "fleet.ndjson.gz"));
    expect(stat.size).toBeGreaterThan(1000);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
  });

  it("the files method gives the same digest as the JSON method", async () => {
    const json = await runAvhealth(["fetch", "--method", "json", "--out", "j.gz"], { env, cwd: dir });
    const files = await runAvhealth(["fetch", "--method", "files", "--out", "f.gz"], { env, cwd: dir });
    const digest = (text: string) => /digest +(sha256:[0-9a-f]{64})/.exec(text)?.[1];
    expect(files.code).toBe(0);
    expect(digest(files.stdout)).toBeDefined();
    expect(digest(files.stdout)).toBe(digest(json.stdout));
  });

  it("check on the snapshot fails the gate (exit 1), prints the table and writes every report", async () => {
    const run = await runAvhealth(
      ["check", "--rules", RULES, "--snapshot", "fleet.ndjson.gz", "--now", "2026-11-27T12:00:00Z", "--format", "json,md,sarif,junit,html,csv", "--report-dir", "out"],
      { env, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^rule +status +percent +threshold +counted +fail +unknown +enforcement/m);
    expect(run.stdout).toMatch(/gate: FAIL, 1200 devices/);
    const files = (await fs.readdir(path.join(dir, "out"))).sort();
    expect(files).toEqual([
      "avhealth-report.csv",
      "avhealth-report.html",
      "avhealth-report.json",
      "avhealth-report.junit.xml",
      "avhealth-report.md",
      "avhealth-report.sarif",
    ]);
    const report = JSON.parse(await fs.readFile(path.join(dir, "out", "avhealth-report.json"), "utf8")) as {
      gate: string;
      evaluatedAt: string;
      snapshot: { deviceCount: number; complete: boolean };
    };
    expect(report).toMatchObject({ gate: "fail", evaluatedAt: "2026-11-27T12:00:00.000Z", snapshot: { deviceCount: 1200, complete: true } });
  });

  it("check gives byte-identical JSON reports for the same inputs, and the same findings by either method or a live fetch", async () => {
    const args = (out: string, source: string[]) => ["check", "--rules", RULES, ...source, "--now", "2026-11-27T12:00:00Z", "--report-dir", out, "--format", "json"];
    await runAvhealth(args("a", ["--snapshot", "j.gz"]), { env, cwd: dir });
    await runAvhealth(args("a2", ["--snapshot", "j.gz"]), { env, cwd: dir });
    await runAvhealth(args("b", ["--snapshot", "f.gz"]), { env, cwd: dir });
    const live = await runAvhealth(args("c", ["--method", "files"]), { env, cwd: dir });
    expect(live.code).toBe(1);
    const read = (d: string) => fs.readFile(path.join(dir, d, "avhealth-report.json"), "utf8");
    const a = await read("a");
    expect(await read("a2")).toBe(a);
    // Only the provenance of the snapshot may differ between methods: how it was fetched and when the export was made.
    const provenance = /"method": "(json|files)",|"generatedTime": (null|"[^"]*")/g;
    const withoutProvenance = (text: string) => text.replace(provenance, "");
    expect(a).toContain('"method": "json"');
    expect(await read("b")).toContain('"method": "files"');
    expect(withoutProvenance(await read("b"))).toBe(withoutProvenance(a));
    expect(withoutProvenance(await read("c"))).toBe(withoutProvenance(a));
  });

  it("a wrong client secret exits 4 without printing the secret", async () => {
    const run = await runAvhealth(["fetch", "--out", "x.gz"], { env: { ...env, AZURE_CLIENT_SECRET: `${CANARY}-wrong` }, cwd: dir });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("[AUTH_FAILED]");
    expect(run.stderr).not.toContain(CANARY);
  });

  it("missing credentials exit 4 and say which variable to set", async () => {
    const run = await runAvhealth(["fetch"], { env: { AVHEALTH_API_URL: emulator.apiUrl }, cwd: dir });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("AZURE_TENANT_ID");
    expect(run.stderr).toContain("[AUTH_MISSING_CONFIG]");
  });

  it("an app without Vulnerability.Read.All cannot use the files method (exit 4)", async () => {
    const limited = await startEmulator({ devices: 10, seed: 1, rateLimit: "off", roles: ["Machine.Read.All"] });
    try {
      const limitedEnv = emulatorEnv(limited);
      const run = await runAvhealth(["fetch", "--method", "files", "--out", "l.gz"], { env: limitedEnv, cwd: dir });
      expect(run.code).toBe(4);
      expect(run.stderr).toContain("Vulnerability.Read.All");
      const auto = await runAvhealth(["fetch", "--out", "l2.gz"], { env: limitedEnv, cwd: dir });
      expect(auto.code).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it("a part that stays broken after every retry leaves the snapshot incomplete (exit 3), and check fails closed (exit 3)", async () => {
    const broken = await startEmulator({ devices: 300, seed: 5, rateLimit: "off", faults: "blob:truncate%100" });
    try {
      const brokenEnv = emulatorEnv(broken);
      const fetched = await runAvhealth(["fetch", "--method", "files", "--out", "broken.gz"], { env: brokenEnv, cwd: dir });
      expect(fetched.code).toBe(3);
      expect(fetched.stdout).toContain("INCOMPLETE");
      const checked = await runAvhealth(["check", "--rules", RULES, "--snapshot", "broken.gz", "--report-dir", "broken", "--format", "json"], {
        env: brokenEnv,
        cwd: dir,
      });
      expect(checked.code).toBe(3);
      expect(checked.stdout).toContain("snapshot INCOMPLETE");
      const report = JSON.parse(await fs.readFile(path.join(dir, "broken", "avhealth-report.json"), "utf8")) as {
        gate: string;
        rules: Array<{ status: string; enforcement: string }>;
      };
      expect(report.gate).toBe("fail");
      expect(report.rules.filter((r) => r.enforcement !== "disabled").every((r) => r.status === "indeterminate")).toBe(true);
    } finally {
      await broken.close();
    }
  });
});
