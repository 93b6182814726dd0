/**
 * `npm run demo` from a fresh clone (the committed tree, with this checkout's node_modules linked instead of a
 * second `npm ci`): no tenant configured, so it builds the library, starts the emulator, runs the preview with
 * the pack and prints a gate result and the reports it wrote.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./helpers/toolchain";

jest.setTimeout(20 * 60 * 1000);

describe("npm run demo", () => {
  let tmp: string;
  let clone: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-demo-"));
    clone = path.join(tmp, "clone");
    execFileSync("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, clone]);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("prints a gate result and where the reports are, with no tenant configured", () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith("AZURE_") && !key.startsWith("PULUMI_") && !key.startsWith("AVHEALTH_") && key !== "NODE_EXTRA_CA_CERTS") env[key] = value;
    }
    env.AVHEALTH_DEMO_DEVICES = "500";
    const result = spawnSync("npm", ["run", "demo", "--silent"], { cwd: clone, env, encoding: "utf8", timeout: 15 * 60 * 1000 });
    if (result.status !== 0) throw new Error(`npm run demo exited ${result.status}\n${result.stdout}\n${result.stderr}`);

    expect(result.stdout).toMatch(/Data: +the embedded Defender API emulator at https:\/\/127\.0\.0\.1:\d+ \(500 generated devices\)/);
    const gate = /Gate: +(PASS|FAIL) \(pulumi preview exited (\d)\)/.exec(result.stdout);
    expect(gate).not.toBeNull();
    expect(result.stdout).toContain("Reports: avhealth-reports/avhealth-report.json, avhealth-reports/avhealth-report.md");

    const report = JSON.parse(fs.readFileSync(path.join(clone, "avhealth-reports", "avhealth-report.json"), "utf8")) as { gate: string; snapshot: { deviceCount: number } };
    expect(report.snapshot.deviceCount).toBe(500);
    // The printed verdict is the report's: exit 1 exactly when a mandatory rule failed.
    expect(report.gate).toBe(gate?.[1] === "PASS" ? "pass" : "fail");
    expect(gate?.[2]).toBe(gate?.[1] === "PASS" ? "0" : "1");
    // The built library came from the clone's own sources, and no stack file is left in the tree.
    expect(fs.existsSync(path.join(clone, "dist", "provider", "impl.js"))).toBe(true);
    expect(fs.readdirSync(path.join(clone, ".pulumi-state", "stacks"))).toEqual([]);
  });
});
