/** `check --history` and `trend`: the history file as a CI job builds it, run after run, and prints it. */
import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { parseHistory } from "../../src/history";
import { runAvhealth } from "./run-cli";

const EXAMPLES = path.resolve(__dirname, "../../examples/rules");
const RULES = path.join(EXAMPLES, "compliance.yaml");
const FLEET = path.join(EXAMPLES, "fleets/small-fleet.json");
const BIN = path.resolve(__dirname, "../../bin/avhealth.js");
const NOW = "2026-03-01T12:00:00Z";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-history-cli-"));
  // A second fleet: the passive device turned active, so windows-active-mode passes (the gate still fails:
  // the mandatory server rule stays indeterminate on a fleet without servers, exit 3).
  const fleet = JSON.parse(await fs.readFile(FLEET, "utf8")) as { value: Record<string, unknown>[] };
  fleet.value = fleet.value.map((d) => ({ ...d, avMode: "0" }));
  await fs.writeFile(path.join(dir, "fixed-fleet.json"), JSON.stringify(fleet));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const check = (snapshot: string, now = NOW, extra: string[] = []) =>
  runAvhealth(["check", "--rules", RULES, "--snapshot", snapshot, "--now", now, "--history", "h.jsonl", ...extra], { cwd: dir });

async function historyLines(): Promise<string[]> {
  return (await fs.readFile(path.join(dir, "h.jsonl"), "utf8")).split("\n").filter((l) => l !== "");
}

describe("avhealth check --history", () => {
  it("appends one line per evaluation, not again for the same snapshot and results", async () => {
    const first = await check(FLEET);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("history: appended to h.jsonl");
    const again = await check(FLEET, "2026-03-01T12:05:00Z");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("history: h.jsonl already ends with this evaluation; not appended");
    expect(await historyLines()).toHaveLength(1);
    const fixed = await check("fixed-fleet.json", "2026-03-02T12:00:00Z");
    expect(fixed.code).toBe(3);
    const lines = (await historyLines()).map((l) => JSON.parse(l) as { evaluatedAt: string; gate: string; deviceCount: number; rules: Record<string, { status: string; percent: number }> });
    expect(lines.map((l) => [l.evaluatedAt, l.gate, l.deviceCount])).toEqual([
      ["2026-03-01T12:00:00.000Z", "fail", 3],
      ["2026-03-02T12:00:00.000Z", "fail", 3],
    ]);
    expect(lines.map((l) => l.rules["windows-active-mode"])).toEqual([
      { status: "fail", percent: 66.67, counted: 3, failing: 1 },
      { status: "pass", percent: 100, counted: 3, failing: 0 },
    ]);
  });

  it("skips a crash-cut last line with a warning and replaces it", async () => {
    await check(FLEET);
    const good = await fs.readFile(path.join(dir, "h.jsonl"), "utf8");
    await fs.appendFile(path.join(dir, "h.jsonl"), good.slice(0, 80));
    const run = await check("fixed-fleet.json");
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("warning: h.jsonl:2: the last line is incomplete (a writer stopped mid-line); it is ignored");
    expect(await historyLines()).toHaveLength(2);
    expect(parseHistory(await fs.readFile(path.join(dir, "h.jsonl"), "utf8"), "h").warnings).toEqual([]);
  });

  it("exits 2 on a bad history line, naming file:line, and writes no report", async () => {
    await check(FLEET);
    await fs.appendFile(path.join(dir, "h.jsonl"), "{}\n");
    const run = await check("fixed-fleet.json", NOW, ["--report-dir", "out"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("avhealth check: h.jsonl:2: evaluatedAt is not a timestamp");
    expect(run.stderr).toContain("[HISTORY_INVALID]");
    await expect(fs.stat(path.join(dir, "out"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("two check processes at once both land whole lines", async () => {
    const run = (snapshot: string, out: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [BIN, "check", "--rules", RULES, "--snapshot", snapshot, "--now", NOW, "--history", "h.jsonl", "--format", "json", "--report-dir", out], { cwd: dir, stdio: "ignore" });
        child.on("exit", resolve);
      });
    const codes = await Promise.all([run(FLEET, "out-a"), run("fixed-fleet.json", "out-b")]);
    expect(codes.sort()).toEqual([1, 3]);
    const { entries, warnings } = parseHistory(await fs.readFile(path.join(dir, "h.jsonl"), "utf8"), "h");
    expect(warnings).toEqual([]);
    expect(entries.map((e) => e.rules["windows-active-mode"]?.status).sort()).toEqual(["fail", "pass"]);
  });
});

describe("avhealth trend", () => {
  beforeEach(async () => {
    await check(FLEET);
    await check("fixed-fleet.json", "2026-03-02T12:00:00Z");
  });

  it("prints a table of evaluations with the rules that did not pass (exit 0)", async () => {
    const run = await runAvhealth(["trend", "--history", "h.jsonl"], { cwd: dir });
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^evaluatedAt +snapshot +devices +gate +not passing$/);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toMatch(/^2026-03-01T12:00:00.000Z +[0-9a-f]{12} +3 +fail +server-signatures-current indeterminate, signatures-current 66.67%, windows-active-mode 66.67%, platform-minimum 66.67%$/);
    expect(rows[3]).toMatch(/^2026-03-02T12:00:00.000Z +[0-9a-f]{12} +3 +fail +server-signatures-current indeterminate, signatures-current 66.67%, platform-minimum 66.67%$/);
    expect(run.stderr).toBe("2 evaluations in h.jsonl\n");
  });

  it("prints one rule's figures with --rule", async () => {
    const run = await runAvhealth(["trend", "--history", "h.jsonl", "--rule", "windows-active-mode"], { cwd: dir });
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split("\n").slice(2);
    expect(rows.map((r) => r.split(/ +/).slice(3))).toEqual([
      ["fail", "fail", "66.67%", "3", "1"],
      ["fail", "pass", "100.00%", "3", "0"],
    ]);
  });

  it("prints CSV and JSON rows per evaluation and rule", async () => {
    const csv = await runAvhealth(["trend", "--history", "h.jsonl", "--format", "csv", "--rule", "windows-active-mode"], { cwd: dir });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split("\r\n");
    expect(lines[0]).toBe("evaluatedAt,snapshotDigest,deviceCount,gate,rule,status,percent,counted,failing");
    expect(lines.slice(1, 3).map((l) => l.split(",").filter((_, i) => i !== 1))).toEqual([
      ["2026-03-01T12:00:00.000Z", "3", "fail", "windows-active-mode", "fail", "66.67", "3", "1"],
      ["2026-03-02T12:00:00.000Z", "3", "fail", "windows-active-mode", "pass", "100", "3", "0"],
    ]);
    expect(lines).toHaveLength(4);
    const json = await runAvhealth(["trend", "--history", "h.jsonl", "--format", "json"], { cwd: dir });
    const rows = JSON.parse(json.stdout) as { rule: string; percent: number }[];
    expect(rows).toHaveLength(16);
    // --output is the spelling every command shares for what goes to stdout; --format stays working.
    const output = await runAvhealth(["trend", "--history", "h.jsonl", "--output", "json"], { cwd: dir });
    expect(output.stdout).toBe(json.stdout);
    expect(rows[3]).toMatchObject({ evaluatedAt: "2026-03-01T12:00:00.000Z", rule: "windows-active-mode", status: "fail", percent: 66.67, counted: 3, failing: 1 });
  });

  it.each([
    [["--history", "missing.jsonl"], "avhealth trend: --history missing.jsonl: no such file; `avhealth check --history missing.jsonl` writes one", "USAGE"],
    [["--history", "h.jsonl", "--rule", "no-such-rule"], 'avhealth trend: rule "no-such-rule" is not in h.jsonl; its rules are server-signatures-current,', "USAGE"],
    [["--history", "h.jsonl", "--format", "xml"], "--format must be one of table, csv, json", "USAGE"],
    [["--history", "h.jsonl", "--output", "xml"], "--output must be one of table, csv, json", "USAGE"],
    [["--history", "h.jsonl", "--output", "csv", "--format", "csv"], "give --output (or its old spelling --format), not both", "USAGE"],
    [[], "--history is required", "USAGE"],
  ])("exits 2 for %p", async (args, message, code) => {
    const run = await runAvhealth(["trend", ...args], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`[${code}]`);
  });

  it("exits 2 on a bad line (file:line), and skips a crash-cut last line with a warning", async () => {
    const text = await fs.readFile(path.join(dir, "h.jsonl"), "utf8");
    await fs.writeFile(path.join(dir, "cut.jsonl"), text + text.slice(0, 30));
    const cut = await runAvhealth(["trend", "--history", "cut.jsonl", "--format", "json"], { cwd: dir });
    expect(cut.code).toBe(0);
    expect(cut.stderr).toContain("warning: cut.jsonl:3: the last line is incomplete");
    expect(JSON.parse(cut.stdout)).toHaveLength(16);
    await fs.writeFile(path.join(dir, "bad.jsonl"), `${text.split("\n")[0]}\nnot json\n`);
    const bad = await runAvhealth(["trend", "--history", "bad.jsonl"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("avhealth trend: bad.jsonl:2: is not JSON");
    expect(bad.stderr).toContain("[HISTORY_INVALID]");
  });

  it("has help that exits 0", async () => {
    const run = await runAvhealth(["trend", "--help"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: avhealth trend --history FILE [--rule ID] [--output table|csv|json]");
  });
});
