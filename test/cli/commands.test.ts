/** validate, test, init-pack and usage errors: the commands that need no tenant. */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { runAvhealth } from "./run-cli";

const EXAMPLES = path.resolve(__dirname, "../../examples/rules");

const FIVE_MISTAKES = `version: 1
rules:
  - id: signatures-current
    description: Signatures current
    require:
      avIsSignatureUpToDate: { inn: [true] }
  - id: Bad_Id
    description: bad id
    require:
      avMode: active
  - id: platform-minimum
    description: minimum platform
    require:
      avPlatformVersion: { gte: 4.18 }
  - id: scan-weekly
    description: weekly scans
    require:
      quickScanTime: { within: 7 days }
exceptions:
  - rule: no-such-rule
    devices: [kiosk-01]
    reason: kiosk
    expires: 2026-12-31
`;

describe("avhealth validate / test / init-pack", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-cmd-"));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("validate accepts the starter rule file (exit 0)", async () => {
    const run = await runAvhealth(["validate", "--rules", path.join(EXAMPLES, "compliance.yaml")], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/valid \(\d+ rules\)/);
  });

  it("validate prints five located errors for five mistakes (exit 2)", async () => {
    await fs.writeFile(path.join(dir, "bad.yaml"), FIVE_MISTAKES);
    const run = await runAvhealth(["validate", "--rules", "bad.yaml"], { cwd: dir });
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(5);
    for (const text of lines) expect(text).toMatch(/^bad\.yaml:\d+:\d+ \S+: .+/);
    expect(run.stdout).toMatch(/bad\.yaml:6:\d+ rules\[0\]\.require\.avIsSignatureUpToDate.*"inn"/);
    expect(run.stdout).toMatch(/rules\[1\]\.id/);
    expect(run.stdout).toMatch(/rules\[2\]\.require\.avPlatformVersion.*quote/);
    expect(run.stdout).toMatch(/rules\[3\]\.require\.quickScanTime\.within/);
    expect(run.stdout).toMatch(/exceptions\[0\]\.rule.*no-such-rule/);
  });

  it("test runs the example cases (exit 0) and reports a failing case (exit 1)", async () => {
    const ok = await runAvhealth(["test", "--rules", path.join(EXAMPLES, "compliance.yaml"), "--cases", path.join(EXAMPLES, "cases")], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^cases: \d+ passed, 0 failed$/m);

    const casesDir = path.join(dir, "cases");
    await fs.mkdir(casesDir, { recursive: true });
    const starter = await fs.readFile(path.join(EXAMPLES, "cases", "starter.yaml"), "utf8");
    // The first case alone, with one expectation flipped: the compliant fleet's gate is expected to fail.
    const firstCase = starter.slice(0, starter.indexOf("\n  - name:", starter.indexOf("  - name:") + 1));
    expect(firstCase).toContain("gate: pass");
    await fs.writeFile(path.join(casesDir, "flipped.yaml"), firstCase.replace(/gate: pass/, "gate: fail"));
    const failed = await runAvhealth(["test", "--rules", path.join(EXAMPLES, "compliance.yaml"), "--cases", casesDir], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL /m);
  });

  it("init-pack writes a pack and refuses a non-empty directory (exit 2)", async () => {
    const made = await runAvhealth(["init-pack", "pack"], { cwd: dir });
    expect(made.code).toBe(0);
    expect((await fs.readdir(path.join(dir, "pack"))).sort()).toEqual(["PulumiPolicy.yaml", "cases", "compliance.yaml", "index.js", "package.json"]);
    const again = await runAvhealth(["init-pack", "pack"], { cwd: dir });
    expect(again.code).toBe(2);
  });

  it.each([
    [[], 2],
    [["frobnicate"], 2],
    [["check"], 2],
    [["check", "--rules", "x.yaml", "--format", "json,pdf"], 2],
    [["fetch", "--method", "csv"], 2],
    [["--help"], 0],
    [["check", "--help"], 0],
  ])("avhealth %j exits %i", async (argv, code) => {
    const run = await runAvhealth(argv as string[], { cwd: dir });
    expect(run.code).toBe(code);
  });
});
