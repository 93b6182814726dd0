import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import type { EvaluationResult } from "../../src/report-model/types";
import { renderMarkdown } from "../../src/reports";
import { fakeEngine, knownFleet, makePackProject, makeResult, makeRuleResult, runStackPolicy } from "./fakes";

let tmp: string;
let packDir: string;
let snapshotPath: string;
let env: Record<string, string>;

beforeEach(async () => {
  ({ tmp, packDir, snapshotPath, env } = await makePackProject("avhealth-summary-files-", "name: demo-project\nruntime: nodejs\n"));
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("the step summary's Markdown", () => {
  it.each([
    [["md"], ["avhealth-report.md"]],
    [["json", "md", "csv"], ["avhealth-report.json", "avhealth-report.md", "avhealth-report.csv"]],
  ])("with formats %p is told the report files written (%p), so a capped list names only those", async (formats, expected) => {
    const seen: (readonly string[] | undefined)[] = [];
    const engine = { ...fakeEngine(), renderMarkdown: (result: EvaluationResult) => (seen.push(result.reportFiles), "# report\n") };
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, GITHUB_STEP_SUMMARY: path.join(tmp, "summary.md") }, engine });
    const policy = (policies as StackValidationPolicy[]).find((p) => p.name === "avhealth-reports") as StackValidationPolicy;
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)], { formats });
    expect(seen).toEqual([expected]);
  });

  it("counts fail and unknown apart and routes each device, fail first (the Markdown renderer in the summary)", async () => {
    const rule = makeRuleResult({
      status: "fail",
      counts: { inScope: 100, pass: 97, fail: 1, unknown: 2, waived: 0, counted: 100, passing: 97, failing: 3 },
      percent: 97,
      failingDevices: [
        { machineId: "a".repeat(40), computerDnsName: "a-stale.contoso.com", outcome: "unknown", reason: "device is stale", rbacGroupName: "Servers", osPlatform: "WindowsServer2022", lastSeenTime: "2026-11-01T00:00:00Z" },
        { machineId: "b".repeat(40), computerDnsName: "b-bad.contoso.com", outcome: "fail", reason: "avIsSignatureUpToDate is false", rbacGroupName: "Servers", osPlatform: "WindowsServer2022", lastSeenTime: "2026-11-27T00:00:00Z" },
        { machineId: "c".repeat(40), computerDnsName: "c-stale.contoso.com", outcome: "unknown", reason: "device is stale", rbacGroupName: null, osPlatform: null, lastSeenTime: null },
      ],
    });
    const engine = { ...fakeEngine({ result: makeResult([rule]) }), renderMarkdown };
    const summaryFile = path.join(tmp, "summary.md");
    const { policies } = await buildAvHealthPolicies({ packDir, env: { ...env, GITHUB_STEP_SUMMARY: summaryFile }, engine });
    const policy = (policies as StackValidationPolicy[]).find((p) => p.name === "avhealth-reports") as StackValidationPolicy;
    await runStackPolicy(policy, [knownFleet("fleet", snapshotPath)], { formats: ["md"] });
    const summary = await fs.readFile(summaryFile, "utf8");
    expect(summary).toContain("| signatures-current | ❌ fail (blocks) | 97.00% | ≥ 98% | 100 | 1 | 2 | mandatory |");
    expect(summary).toContain("#### signatures-current: 1 fail, 2 unknown");
    const rows = summary.split("\n").filter((l) => /^\| [abc]-/.test(l));
    expect(rows.map((l) => l.split(" | ").slice(0, 6))).toEqual([
      ["| b-bad.contoso.com", "b".repeat(40), "fail", "Servers", "WindowsServer2022", "2026-11-27T00:00:00Z"],
      ["| a-stale.contoso.com", "a".repeat(40), "unknown", "Servers", "WindowsServer2022", "2026-11-01T00:00:00Z"],
      ["| c-stale.contoso.com", "c".repeat(40), "unknown", "—", "—", "—"],
    ]);
  });
});
