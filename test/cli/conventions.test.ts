/**
 * The command line's conventions, as a newcomer meets them: one prefix per message, unknown flags answered with
 * "did you mean" and the usage line, missing files named as missing on stderr, --output json, --quiet,
 * --policy-config, help that explains every flag, and nothing overwritten that the run reads.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { HELP, helpText } from "../../src/cli/help";
import { CHECK_FLAGS } from "../../src/cli/commands/check";
import { FETCH_FLAGS } from "../../src/cli/commands/fetch";
import { TEST_FLAGS } from "../../src/cli/commands/test";
import { TREND_FLAGS } from "../../src/cli/commands/trend";
import { VALIDATE_FLAGS } from "../../src/cli/commands/validate";
import { runAvhealth } from "./run-cli";

const EXAMPLES = path.resolve(__dirname, "../../examples/rules");
const RULES = path.join(EXAMPLES, "compliance.yaml");
const FLEET = path.join(EXAMPLES, "fleets/small-fleet.json");
const NOW = "2026-03-01T12:00:00Z";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-conventions-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const check = (extra: string[]) => runAvhealth(["check", "--rules", RULES, "--snapshot", FLEET, "--now", NOW, ...extra], { cwd: dir });

describe("error messages", () => {
  it.each(["check", "validate", "test", "trend", "emulator"])("%s: a missing required flag has one prefix, the usage line and the code", async (command) => {
    const argv = command === "emulator" ? [command, "stray"] : [command];
    const run = await runAvhealth(argv, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const [first, second] = run.stderr.split("\n");
    expect(first).toMatch(new RegExp(`^avhealth ${command}: (--\\S+ is required|unexpected argument "stray") \\[USAGE\\]$`));
    expect(run.stderr.match(/avhealth [a-z-]+: /g)).toHaveLength(1);
    expect(second).toMatch(new RegExp(`^Usage: avhealth ${command} `));
  });

  it("answers an unknown flag with the closest one and the usage line, with no raw parser text", async () => {
    const run = await runAvhealth(["check", "--rules", RULES, "--snapshots", FLEET], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^avhealth check: unknown option --snapshots \(did you mean --snapshot\?\) \[USAGE\]\nUsage: avhealth check --rules FILE/);
    expect(run.stderr).not.toMatch(/To specify a positional argument|'/);
    const emulator = await runAvhealth(["emulator", "--device", "5"], { cwd: dir });
    expect(emulator.stderr).toMatch(/^avhealth emulator: unknown option --device \(did you mean --devices\?\) \[USAGE\]\nUsage: avhealth emulator /);
  });

  it("suggests a command for a misspelt one", async () => {
    const run = await runAvhealth(["chek"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^avhealth: unknown command "chek" \(did you mean "check"\?\)/);
  });

  it.each([
    [["validate", "--rules", "nope.yaml"], "avhealth validate: --rules nope.yaml: no such file"],
    [["check", "--rules", "nope.yaml", "--snapshot", FLEET], "avhealth check: --rules nope.yaml: no such file"],
    [["check", "--rules", RULES, "--snapshot", "nope.json"], "avhealth check: --snapshot nope.json: no such file or directory"],
    [["test", "--rules", RULES, "--cases", "nope"], "avhealth test: --cases nope: no such directory"],
    [["trend", "--history", "nope.jsonl"], "avhealth trend: --history nope.jsonl: no such file"],
  ])("names a missing file as missing, on stderr: %j", async (argv, message) => {
    const run = await runAvhealth(argv, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/ENOENT|stat/);
  });
});

describe("help", () => {
  const parsed: Record<string, Readonly<Record<string, unknown>>> = {
    check: CHECK_FLAGS,
    fetch: FETCH_FLAGS,
    validate: VALIDATE_FLAGS,
    test: TEST_FLAGS,
    trend: TREND_FLAGS,
  };

  it.each(Object.entries(parsed))("%s --help explains every flag it parses", (command, flags) => {
    const text = helpText(command);
    for (const flag of Object.keys(flags)) {
      const row = text.split("\n").find((l) => l.trimStart().startsWith(`--${flag}`) || (flag === "format" && command === "trend"));
      expect({ flag, row: row !== undefined }).toEqual({ flag, row: true });
    }
  });

  it("says the default of every optional flag, and lists the environment fetch reads", () => {
    for (const [command, help] of Object.entries(HELP)) {
      for (const [flag, text] of help.flags) {
        if (flag.startsWith("-h")) continue;
        expect({ command, flag, explained: /\(default|\(required\)|required\)|old spelling/.test(text) }).toEqual({ command, flag, explained: true });
      }
    }
    const fetch = helpText("fetch");
    for (const name of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AVHEALTH_CLOUD", "AVHEALTH_API_URL", "AZURE_AUTHORITY_HOST", "AVHEALTH_CA_FILE", "AVHEALTH_PART_WORKERS"]) {
      expect(fetch).toContain(name);
      // check fetches live without --snapshot: the same variables.
      expect(helpText("check")).toContain(name);
    }
    for (const flag of ["--seed", "--parts", "--roles", "--data-dir", "--faults", "--write-env"]) {
      const row = (HELP.emulator?.flags ?? []).find(([f]) => f.startsWith(`${flag} `));
      expect({ flag, text: row?.[1] }).toEqual({ flag, text: expect.stringMatching(/\w.*\(default/s) });
      expect(helpText("emulator")).toMatch(new RegExp(`\\n  ${flag} `));
    }
  });

  it("lists --version/-V and --help/-h, and -V prints the version", async () => {
    const main = await runAvhealth(["--help"], { cwd: dir });
    expect(main.stdout).toContain("-V, --version");
    expect(main.stdout).toContain("-h, --help");
    const version = await runAvhealth(["-V"], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("check conventions", () => {
  it("--output json prints the gate, the exit code and per-rule counts (fail and unknown apart) on stdout only", async () => {
    const run = await check(["--output", "json"]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      kind: string;
      gate: string;
      exitCode: number;
      blocking: string[];
      rules: Array<{ id: string; status: string; blocking: boolean; counts: { fail: number; unknown: number; failing: number } }>;
      reports: Record<string, string>;
    };
    expect(result).toMatchObject({ kind: "avhealth-check-result", gate: "fail", exitCode: 1 });
    const report = JSON.parse(await fs.readFile(path.join(dir, "avhealth-reports/avhealth-report.json"), "utf8")) as { rules: Array<{ id: string; counts: unknown }> };
    expect(result.rules.map((r) => r.id)).toEqual(report.rules.map((r) => r.id));
    for (const rule of result.rules) expect(rule.counts).toEqual(expect.objectContaining({ fail: expect.any(Number), unknown: expect.any(Number) }));
    expect(result.blocking).toEqual(result.rules.filter((r) => r.blocking).map((r) => r.id));
    expect(result.blocking.length).toBeGreaterThan(0);
    expect(result.reports).toEqual({ json: path.join("avhealth-reports", "avhealth-report.json"), md: path.join("avhealth-reports", "avhealth-report.md") });
    expect(run.stdout).not.toContain("gate: FAIL");
  });

  it("--quiet prints nothing on a gate failure, and still writes the reports and exits 1", async () => {
    const run = await check(["--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("");
    expect((await fs.readdir(path.join(dir, "avhealth-reports"))).sort()).toEqual(["avhealth-report.json", "avhealth-report.md"]);
  });

  it("the table's last line names the blocking rules, with fail and unknown counted apart", async () => {
    const run = await check([]);
    const last = run.stdout.trimEnd().split("\n").pop();
    expect(last).toMatch(/^gate: FAIL, \d+ devices; blocked by /);
    const report = JSON.parse(await fs.readFile(path.join(dir, "avhealth-reports/avhealth-report.json"), "utf8")) as {
      rules: Array<{ id: string; enforcement: string; status: string; counts: { fail: number; unknown: number } }>;
    };
    const blocking = report.rules.filter((r) => r.enforcement === "mandatory" && (r.status === "fail" || r.status === "indeterminate"));
    expect(blocking.length).toBeGreaterThan(0);
    for (const rule of blocking) {
      const why = rule.status === "fail" ? `${rule.counts.fail} fail, ${rule.counts.unknown} unknown` : "indeterminate";
      expect(last).toContain(`${rule.id} (${why})`);
    }
  });

  it("--policy-config re-levels rules with the pack's JSON: every blocking rule made advisory passes the gate", async () => {
    const first = JSON.parse((await check(["--output", "json"])).stdout) as { blocking: string[] };
    const config = Object.fromEntries(first.blocking.map((id, i) => [id, i === 0 ? "advisory" : { enforcementLevel: "advisory" }]));
    await fs.writeFile(path.join(dir, "policy.json"), JSON.stringify({ ...config, "avhealth-reports": { formats: ["json"] } }));
    const run = await check(["--policy-config", "policy.json", "--output", "json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { gate: string; rules: Array<{ id: string; enforcement: string }> };
    expect(result.gate).toBe("pass");
    for (const id of first.blocking) expect(result.rules.find((r) => r.id === id)?.enforcement).toBe("advisory");
  });

  it("--policy-config refuses an unknown rule id with the closest one, and a bad level", async () => {
    await fs.writeFile(path.join(dir, "typo.json"), JSON.stringify({ "windows-active-mod": "advisory" }));
    const typo = await check(["--policy-config", "typo.json"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('avhealth check: --policy-config typo.json: "windows-active-mod" is not a rule of the rule file (did you mean "windows-active-mode"?)');
    await fs.writeFile(path.join(dir, "level.json"), JSON.stringify({ all: "remediate" }));
    const level = await check(["--policy-config", "level.json"]);
    expect(level.code).toBe(2);
    expect(level.stderr).toContain("must be one of advisory, mandatory, disabled");
    await expect(fs.stat(path.join(dir, "avhealth-reports"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("nothing lost", () => {
  it("refuses a --baseline that the run's own JSON report would overwrite (exit 2), before writing anything", async () => {
    expect((await check([])).code).toBe(1);
    const before = await fs.readFile(path.join(dir, "avhealth-reports/avhealth-report.json"), "utf8");
    const reportsBefore = await fs.readdir(path.join(dir, "avhealth-reports"));
    const run = await check(["--baseline", "avhealth-reports/avhealth-report.json", "--format", "json,md,html", "--history", "h.jsonl"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("avhealth check: --baseline avhealth-reports/avhealth-report.json is the file the json report would write");
    expect(await fs.readFile(path.join(dir, "avhealth-reports/avhealth-report.json"), "utf8")).toBe(before);
    expect(await fs.readdir(path.join(dir, "avhealth-reports"))).toEqual(reportsBefore);
    await expect(fs.stat(path.join(dir, "h.jsonl"))).rejects.toMatchObject({ code: "ENOENT" });
    // Another report directory is fine.
    expect((await check(["--baseline", "avhealth-reports/avhealth-report.json", "--report-dir", "next"])).code).toBe(1);
  });

  it("refuses a --history that a report file would overwrite, and a history that is the baseline", async () => {
    const run = await check(["--history", "out/avhealth-report.md", "--report-dir", "out"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--history out/avhealth-report.md is the file the md report would write");
    await fs.writeFile(path.join(dir, "h.jsonl"), "");
    const same = await check(["--history", "h.jsonl", "--baseline", "./h.jsonl"]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("name the same file h.jsonl");
    await expect(fs.stat(path.join(dir, "out"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("reports a remediation owner can act on", () => {
  it("the CSV and Markdown route each device (group, OS platform, last seen), fail before unknown", async () => {
    // The example fleet plus a stale copy of its passive device ("a-" sorts it first by name): fail and unknown mixed.
    const fleet = JSON.parse(await fs.readFile(FLEET, "utf8")) as { value: Array<Record<string, string> & { machineId: string }> };
    const passive = fleet.value.find((d) => d.avMode === "1");
    if (passive === undefined) throw new Error("the example fleet has no passive device");
    const stale = { ...passive, id: "c".repeat(40), machineId: "c".repeat(40), computerDnsName: "a-stale.contoso.com", lastSeenTime: "2026-01-01T00:00:00Z" };
    if ("dataRefreshTimestamp" in stale) stale.dataRefreshTimestamp = "2026-01-01T00:00:00Z";
    fleet.value.push(stale);
    await fs.writeFile(path.join(dir, "fleet.json"), JSON.stringify(fleet));
    const run = await runAvhealth(["check", "--rules", RULES, "--snapshot", "fleet.json", "--now", NOW, "--format", "json,md,csv"], { cwd: dir });
    expect(run.code).toBe(1);
    const byId = new Map(fleet.value.map((d) => [d.machineId, d]));
    const csv = (await fs.readFile(path.join(dir, "avhealth-reports/avhealth-report.csv"), "utf8")).trimEnd().split("\r\n").map((l) => l.split(","));
    const header = csv[0] ?? [];
    // Reasons may hold commas (quoted fields); the columns after them are counted from the end of the row.
    const col = (name: string): number => header.indexOf(name);
    const tail = (row: string[], name: string): string | undefined => row[row.length - (header.length - col(name))];
    expect(header.slice(9)).toEqual(["rbacGroupName", "osPlatform", "lastSeenTime", "ruleFail", "ruleUnknown"]);
    const deviceRows = csv.slice(1).filter((r) => r[col("machineId")] !== "");
    expect(deviceRows.length).toBeGreaterThan(0);
    for (const row of deviceRows) {
      const device = byId.get(row[col("machineId")] ?? "");
      expect([tail(row, "rbacGroupName"), tail(row, "osPlatform"), tail(row, "lastSeenTime")]).toEqual([
        device?.rbacGroupName ?? "",
        device?.osPlatform ?? "",
        device?.lastSeenTime === undefined ? "" : new Date(device.lastSeenTime).toISOString(),
      ]);
    }
    // Within each rule, no fail row after an unknown row; at least one rule has both (the staleness date makes unknowns).
    const rules = new Map<string, string[]>();
    for (const row of deviceRows) rules.set(row[0] ?? "", [...(rules.get(row[0] ?? "") ?? []), row[col("outcome")] ?? ""]);
    expect(deviceRows.map((r) => r[col("outcome")]).every((o) => o === "fail" || o === "unknown")).toBe(true);
    for (const outcomes of rules.values()) expect(outcomes).toEqual([...outcomes].sort());
    expect([...rules.values()].some((o) => o.includes("fail") && o.includes("unknown"))).toBe(true);
    const md = await fs.readFile(path.join(dir, "avhealth-reports/avhealth-report.md"), "utf8");
    expect(md).toContain("| Device | Machine ID | Outcome | Machine group | OS platform | Last seen | Reason |");
    expect(md).toContain("| Rule | Status | Percent | Threshold | Counted | Fail | Unknown |");
    expect(md).toMatch(/Each number counts device-rule outcomes/);
  });
});
