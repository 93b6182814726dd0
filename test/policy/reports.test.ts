import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies, reportSettings } from "../../src/policy";
import { findProjectRoot } from "../../src/policy/projectRoot";
import { fakeEngine, knownFleet, makePackProject, runStackPolicy } from "./fakes";

let tmp: string;
let packDir: string;
let snapshotPath: string;
let env: Record<string, string>;

beforeEach(async () => {
  ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-reports-", "name: demo-project # the project\nruntime: nodejs\n"));
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function reportsPolicyFor(engine: ReturnType<typeof fakeEngine>, extraEnv: Record<string, string> = {}): Promise<StackValidationPolicy> {
  const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, ...extraEnv }, engine });
  const policy = (policies as StackValidationPolicy[]).find((p) => p.name === "avhealth-reports");
  if (!policy) throw new Error("no reports policy");
  return policy;
}

describe("the reports policy", () => {
  it("writes JSON and Markdown into avhealth-reports/ under the project root by default, and reports no violation", async () => {
    const engine = fakeEngine();
    const violations = await runStackPolicy(await reportsPolicyFor(engine), [knownFleet("fleet", snapshotPath)]);
    expect(violations).toEqual([]);
    expect(engine.calls.writeReports).toEqual([{ dir: path.join(tmp, "avhealth-reports"), formats: ["json", "md"] }]);
    const json = JSON.parse(await fs.readFile(path.join(tmp, "avhealth-reports", "avhealth-report.json"), "utf8")) as { kind: string };
    expect(json.kind).toBe("avhealth-report");
  });

  it("takes formats and a directory (relative to the project root) from policy config", async () => {
    const engine = fakeEngine();
    await runStackPolicy(await reportsPolicyFor(engine), [knownFleet("fleet", snapshotPath)], { formats: ["sarif", "junit", "html"], dir: "out/compliance" });
    expect(engine.calls.writeReports).toEqual([{ dir: path.join(tmp, "out", "compliance"), formats: ["sarif", "junit", "html"] }]);
  });

  it("hands the serialized JSON report to the writer for json.gz alone too (the compressed report needs it)", async () => {
    const engine = fakeEngine();
    const given: Array<(() => Iterable<string>) | undefined> = [];
    const write = engine.writeReports.bind(engine);
    engine.writeReports = async (result, options) => {
      given.push(options.jsonText);
      return write(result, options);
    };
    await runStackPolicy(await reportsPolicyFor(engine), [knownFleet("fleet", snapshotPath)], { formats: ["json.gz", "md"] });
    expect(engine.calls.writeReports).toEqual([{ dir: path.join(tmp, "avhealth-reports"), formats: ["json.gz", "md"] }]);
    expect(given).toHaveLength(1);
    const chunks = given[0];
    expect(typeof chunks).toBe("function");
    expect(JSON.parse([...(chunks as () => Iterable<string>)()].join("")) as { kind: string }).toMatchObject({ kind: "avhealth-report" });
  });

  it("appends the Markdown to $GITHUB_STEP_SUMMARY on every run, unless turned off", async () => {
    const summary = path.join(tmp, "step-summary.md");
    await fs.writeFile(summary, "earlier step\n");
    const policy = await reportsPolicyFor(fakeEngine(), { GITHUB_STEP_SUMMARY: summary });
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)]);
    expect(await fs.readFile(summary, "utf8")).toBe("earlier step\n# avhealth report\n\n# avhealth report\n\n");
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)], { githubStepSummary: false });
    expect(await fs.readFile(summary, "utf8")).toBe("earlier step\n# avhealth report\n\n# avhealth report\n\n");
  });

  it("gives each of several fleets its own subdirectory", async () => {
    const engine = fakeEngine();
    // "kiosks/eu" and "kiosks_eu" would both clean to kiosks_eu: the name that needed cleaning carries its digest.
    await runStackPolicy(await reportsPolicyFor(engine), [knownFleet("servers", snapshotPath), knownFleet("kiosks/eu", snapshotPath), knownFleet("kiosks_eu", snapshotPath)]);
    expect(engine.calls.writeReports.map((call) => path.relative(tmp, call.dir)).sort()).toEqual([
      path.join("avhealth-reports", "kiosks_eu"),
      path.join("avhealth-reports", "kiosks_eu-56177c6b1a"),
      path.join("avhealth-reports", "servers"),
    ]);
  });

  it("removes an earlier report when this run could not evaluate the fleet", async () => {
    const dir = path.join(tmp, "avhealth-reports");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "avhealth-report.json"), "{}");
    await fs.writeFile(path.join(dir, "notes.txt"), "mine");
    const engine = fakeEngine();
    await runStackPolicy(await reportsPolicyFor(engine), [knownFleet("fleet", path.join(tmp, "missing.ndjson.gz"))]);
    expect(await fs.readdir(dir)).toEqual(["notes.txt"]);
    expect(engine.calls.writeReports).toEqual([]);
  });
});

describe("reportSettings", () => {
  it("accepts formats as a comma list too", () => {
    expect(reportSettings({ formats: "md,csv" }, "/p").formats).toEqual(["md", "csv"]);
  });
  it("keeps an absolute directory", () => {
    expect(reportSettings({ dir: "/abs/reports" }, "/p").dir).toBe("/abs/reports");
  });
  it("rejects an unknown format", () => {
    expect(() => reportSettings({ formats: ["pdf"] }, "/p")).toThrow(/not a report format/);
  });
});

describe("findProjectRoot", () => {
  it("prefers PWD when its Pulumi.yaml names the project being deployed", async () => {
    const other = path.join(tmp, "elsewhere");
    await fs.mkdir(other);
    await fs.writeFile(path.join(other, "Pulumi.yaml"), "name: 'demo-project'\n");
    expect(findProjectRoot(packDir, { PULUMI_PROJECT: "demo-project", PWD: other })).toEqual({ dir: other, found: true });
  });

  it("skips a PWD that holds another project and walks up from the pack", async () => {
    const other = path.join(tmp, "elsewhere");
    await fs.mkdir(other);
    await fs.writeFile(path.join(other, "Pulumi.yaml"), "name: another\n");
    expect(findProjectRoot(packDir, { PULUMI_PROJECT: "demo-project", PWD: other })).toEqual({ dir: tmp, found: true });
  });

  it("falls back to the pack directory when no Pulumi.yaml names the project", () => {
    expect(findProjectRoot(packDir, { PULUMI_PROJECT: "nowhere" })).toEqual({ dir: packDir, found: false });
  });
});
