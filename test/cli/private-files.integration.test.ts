/**
 * Files that list the fleet's devices (snapshots, reports, the snapshot `check` takes for itself) are readable
 * by their owner only, as the cache is: a shared CI runner or build host has other users.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { emulatorEnv } from "../helpers/emulator-env";
import { runAvhealth } from "./run-cli";

const RULES = path.resolve(__dirname, "../../examples/rules/compliance.yaml");
const BIN = path.resolve(__dirname, "../../bin/avhealth.js");
const CANARY = "canary-Secret-51d0e2~not-for-logs";

const modeOf = async (file: string): Promise<number> => (await fs.stat(file)).mode & 0o777;

describe("avhealth keeps device inventory private", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let tmp: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator({ devices: 80, seed: 5, rateLimit: "off", clientSecret: CANARY });
    env = emulatorEnv(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-private-"));
    tmp = path.join(dir, "tmp");
    await fs.mkdir(tmp);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("fetch --out writes the snapshot 0600; check writes its reports 0600 in a 0700 directory", async () => {
    const fetched = await runAvhealth(["fetch", "--out", "fleet.ndjson.gz"], { env, cwd: dir });
    expect(fetched.code).toBe(0);
    expect(await modeOf(path.join(dir, "fleet.ndjson.gz"))).toBe(0o600);
    const checked = await runAvhealth(["check", "--rules", RULES, "--snapshot", "fleet.ndjson.gz", "--report-dir", "out", "--format", "json,md,csv"], { env, cwd: dir });
    expect(checked.code).toBe(1);
    const out = path.join(dir, "out");
    expect(await modeOf(out)).toBe(0o700);
    const files = (await fs.readdir(out)).sort();
    expect(files).toEqual(["avhealth-report.csv", "avhealth-report.json", "avhealth-report.md"]);
    for (const file of files) expect([file, await modeOf(path.join(out, file))]).toEqual([file, 0o600]);
    expect(fetched.stdout + fetched.stderr + checked.stdout + checked.stderr).not.toContain(CANARY);
  });

  it("check without --out takes its snapshot into a new 0700 directory, the file 0600", async () => {
    // The OS temp directory as the code under test sees it (jest gives tests their own copy of process.env).
    jest.spyOn(jest.requireActual<typeof import("node:os")>("node:os"), "tmpdir").mockReturnValue(tmp);
    const run = await runAvhealth(["check", "--rules", RULES, "--report-dir", "out", "--format", "json"], { env, cwd: dir });
    expect(run.code).toBe(1);
    const made = (await fs.readdir(tmp)).filter((name) => name.startsWith("avhealth-check-"));
    expect(made).toHaveLength(1);
    const own = path.join(tmp, made[0] as string);
    expect(await modeOf(own)).toBe(0o700);
    expect(await fs.readdir(own)).toEqual(["snapshot.ndjson.gz"]);
    expect(await modeOf(path.join(own, "snapshot.ndjson.gz"))).toBe(0o600);
  });

  it("check without --out leaves no snapshot behind when the process exits", async () => {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, "check", "--rules", RULES, "--report-dir", "out", "--format", "json"], {
        cwd: dir,
        env: { ...process.env, ...env, TMPDIR: tmp },
        stdio: "ignore",
      });
      child.on("exit", resolve);
    });
    expect(code).toBe(1);
    expect(await fs.readFile(path.join(dir, "out", "avhealth-report.json"), "utf8")).toContain('"deviceCount": 80');
    expect((await fs.readdir(tmp)).filter((name) => name.startsWith("avhealth-check-"))).toEqual([]);
  });
});
