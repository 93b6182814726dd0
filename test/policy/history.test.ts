import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { resolveHistoryPath, type HistoryPathSources } from "../../src/history";
import { buildAvHealthPolicies } from "../../src/policy";
import { fleetHistoryPath, stackHistoryChoice } from "../../src/policy/history";
import type { EvaluationResult } from "../../src/report-model/types";
import { fakeEngine, knownFleet, makePackProject, makeResult, makeRuleResult, runStackPolicy } from "./fakes";

describe("resolveHistoryPath", () => {
  const base: HistoryPathSources = { pinned: false, ruleFile: undefined, ruleFileDir: "/rules", env: undefined, stackConfig: undefined, projectRoot: "/project" };
  it.each<[string, Partial<HistoryPathSources>, string | null, string | null, string[]]>([
    ["nothing set", {}, null, null, []],
    ["AVHEALTH_HISTORY first, relative to the project", { env: "h/a.jsonl", stackConfig: "b.jsonl", ruleFile: "c.jsonl" }, "/project/h/a.jsonl", "AVHEALTH_HISTORY", []],
    ["then avhealth:history", { stackConfig: "b.jsonl", ruleFile: "c.jsonl" }, "/project/b.jsonl", "avhealth:history", []],
    ["then the rule file's, relative to the rule file", { ruleFile: "c.jsonl" }, "/rules/c.jsonl", "settings.history", []],
    ["blank values count as unset", { env: "  ", stackConfig: "" }, null, null, []],
    ["an absolute path as given", { env: "/var/h.jsonl" }, "/var/h.jsonl", "AVHEALTH_HISTORY", []],
    ["pinned: only the rule file, the others ignored", { pinned: true, env: "a.jsonl", stackConfig: "b.jsonl", ruleFile: "c.jsonl" }, "/rules/c.jsonl", "settings.history", ["AVHEALTH_HISTORY", "avhealth:history"]],
    ["pinned without settings.history: none, never the stack's", { pinned: true, env: "a.jsonl" }, null, null, ["AVHEALTH_HISTORY"]],
    ["pinned, nothing else set", { pinned: true, ruleFile: "../h.jsonl" }, "/h.jsonl", "settings.history", []],
  ])("%s", (_what, sources, expectedPath, source, ignored) => {
    expect(resolveHistoryPath({ ...base, ...sources })).toEqual({ path: expectedPath, source, ignored });
  });
});

describe("stackHistoryChoice and fleetHistoryPath", () => {
  it("reads AVHEALTH_HISTORY, then stack config avhealth:history from PULUMI_CONFIG", () => {
    const config = JSON.stringify({ "avhealth:history": "ci/history.jsonl" });
    expect(stackHistoryChoice({ AVHEALTH_HISTORY: "env.jsonl", PULUMI_CONFIG: config }, "/p").path).toBe("/p/env.jsonl");
    expect(stackHistoryChoice({ PULUMI_CONFIG: config }, "/p").path).toBe("/p/ci/history.jsonl");
    expect(stackHistoryChoice({}, "/p").path).toBeNull();
    expect(stackHistoryChoice({ AVHEALTH_HISTORY: "env.jsonl" }, "/p", { history: "pinned.jsonl", dir: "/rules", pinned: true })).toEqual({
      path: "/rules/pinned.jsonl",
      source: "settings.history",
      ignored: ["AVHEALTH_HISTORY"],
    });
  });

  it.each([
    ["/h/history.jsonl", null, "/h/history.jsonl"],
    ["/h/history.jsonl", "servers", "/h/history.servers.jsonl"],
    ["/h/history", "kiosks/eu", "/h/history.kiosks_eu-56177c6b1a"],
    ["/h/history", "kiosks_eu", "/h/history.kiosks_eu"],
  ])("%s for fleet %p is %s", (file, fleet, expected) => {
    expect(fleetHistoryPath(file, fleet)).toBe(expected);
  });
});

describe("the pack's history", () => {
  let tmp: string;
  let packDir: string;
  let snapshotPath: string;
  let env: Record<string, string>;
  let stderr: string[];

  beforeEach(async () => {
    ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-pack-history-", "name: demo-project\nruntime: nodejs\n"));
    stderr = [];
    jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  /** The reports policy over a fake engine that returns `results` in turn and records what writeReports got. */
  async function reportsPolicy(extraEnv: Record<string, string>, results: EvaluationResult[]) {
    const engine = fakeEngine();
    const histories: (number | undefined)[] = [];
    let next = 0;
    engine.evaluate = async () => results[Math.min(next++, results.length - 1)] as EvaluationResult;
    const write = engine.writeReports.bind(engine);
    engine.writeReports = (result, options) => (histories.push(result.history?.length), write(result, options));
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, ...extraEnv }, engine });
    const policy = (policies as StackValidationPolicy[]).find((p) => p.name === "avhealth-reports") as StackValidationPolicy;
    return { policy, histories };
  }

  const lines = async (file: string) => (await fs.readFile(file, "utf8")).split("\n").filter((l) => l !== "");
  const failingResult = () => makeResult([makeRuleResult({ status: "fail", percent: 97, counts: { ...makeRuleResult().counts, pass: 970, fail: 30, passing: 970, failing: 30 } })]);

  it("appends one line for the two passes of one pulumi up, a second for a changed result, and hands the history to the reports", async () => {
    const { policy, histories } = await reportsPolicy({ AVHEALTH_HISTORY: "ci/history.jsonl" }, [makeResult(), makeResult(), failingResult()]);
    await fs.mkdir(path.join(tmp, "ci"));
    const file = path.join(tmp, "ci", "history.jsonl");
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    expect(await lines(file)).toHaveLength(1);
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    const written = (await lines(file)).map((l) => JSON.parse(l) as { gate: string; rules: Record<string, { percent: number; failing: number }> });
    expect(written.map((e) => [e.gate, e.rules["signatures-current"]?.percent, e.rules["signatures-current"]?.failing])).toEqual([
      ["pass", 100, 0],
      ["fail", 97, 30],
    ]);
    expect(histories).toEqual([1, 1, 2]);
  });

  it("takes stack config avhealth:history, relative to the project root", async () => {
    const { policy } = await reportsPolicy({ PULUMI_CONFIG: JSON.stringify({ "avhealth:history": "h.jsonl" }) }, [makeResult()]);
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    expect(await lines(path.join(tmp, "h.jsonl"))).toHaveLength(1);
  });

  it("records nothing without a history setting", async () => {
    const { policy, histories } = await reportsPolicy({}, [makeResult()]);
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    expect(histories).toEqual([undefined]);
    expect((await fs.readdir(tmp)).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
  });

  it("keeps a file per fleet when the stack has several", async () => {
    const { policy } = await reportsPolicy({ AVHEALTH_HISTORY: "history.jsonl" }, [makeResult()]);
    await runStackPolicy(policy, [knownFleet("servers", snapshotPath), knownFleet("kiosks", snapshotPath)]);
    expect((await fs.readdir(tmp)).filter((f) => f.endsWith(".jsonl")).sort()).toEqual(["history.kiosks.jsonl", "history.servers.jsonl"]);
  });

  it("writes the reports without the trend and says why when the history has a bad line", async () => {
    await fs.writeFile(path.join(tmp, "history.jsonl"), "not json\n");
    const { policy, histories } = await reportsPolicy({ AVHEALTH_HISTORY: "history.jsonl" }, [makeResult()]);
    const violations = await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    expect(violations).toEqual([]);
    expect(histories).toEqual([undefined]);
    expect(stderr.join("")).toContain(`avhealth: history not recorded, reports written without the trend: ${path.join(tmp, "history.jsonl")}:1: is not JSON`);
    expect(stderr.join("")).toContain("[HISTORY_INVALID]");
    expect(await fs.readFile(path.join(tmp, "history.jsonl"), "utf8")).toBe("not json\n");
  });

  it("skips a crash-cut last line with a warning on stderr", async () => {
    await fs.writeFile(path.join(tmp, "history.jsonl"), '{"evaluatedAt":"2026-');
    const { policy, histories } = await reportsPolicy({ AVHEALTH_HISTORY: "history.jsonl" }, [makeResult()]);
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    expect(histories).toEqual([1]);
    expect(stderr.join("")).toContain("avhealth: warning: ");
    expect(stderr.join("")).toContain("history.jsonl:1: the last line is incomplete");
    expect(await lines(path.join(tmp, "history.jsonl"))).toHaveLength(1);
  });
});
