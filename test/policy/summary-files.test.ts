import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import type { EvaluationResult } from "../../src/report-model/types";
import { fakeEngine, knownFleet, makePackProject, runStackPolicy } from "./fakes";

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
});
