/**
 * The pack's policies over the real rules engine, snapshot files and report writers (no Pulumi): what a
 * preview would report, checked on values.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import { makeDevice } from "../../src/rules";
import { SnapshotWriter } from "../../src/snapshot";
import { knownFleet, runStackPolicy } from "./fakes";

const NOW = new Date();

const RULES = `version: 1
rules:
  - id: signatures-current
    description: Signatures are current
    severity: high
    enforcement: mandatory
    require:
      avIsSignatureUpToDate: true
    threshold:
      minPercent: 98
  - id: active-mode
    description: Defender runs in active mode
    enforcement: advisory
    require:
      avMode: active
`;

let tmp: string;
let packDir: string;
let env: Record<string, string>;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-real-pack-"));
  await fs.writeFile(path.join(tmp, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
  packDir = path.join(tmp, "policy");
  await fs.mkdir(packDir);
  await fs.writeFile(path.join(packDir, "compliance.yaml"), RULES);
  env = { PULUMI_PROJECT: "proj", AVHEALTH_CACHE_DIR: path.join(tmp, "cache") };
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** 100 devices, the first `outdated` of them with out-of-date signatures. */
async function writeSnapshot(outdated: number, incompleteReasons: string[] = []) {
  const writer = new SnapshotWriter({ fetchedAt: NOW, tmpDir: tmp });
  for (let index = 0; index < 100; index++) {
    writer.add(makeDevice(index < outdated ? { avIsSignatureUpToDate: false } : {}, { now: NOW, index }));
  }
  return writer.finish({
    outPath: path.join(tmp, `snapshot-${outdated}.ndjson.gz`),
    method: "json",
    generatedTime: null,
    source: { apiUrl: "https://127.0.0.1:1", filter: null },
    incompleteReasons,
  });
}

async function policies() {
  const built = await buildAvHealthPolicies({ packDir, env });
  return built.policies as StackValidationPolicy[];
}

function fleetOf(written: Awaited<ReturnType<typeof writeSnapshot>>) {
  return knownFleet("fleet", written.path, {
    snapshot: { digest: written.header.digest, path: written.path, method: "json", complete: written.header.complete, generatedTime: null, fetchedAt: written.header.fetchedAt,
      ...(written.header.incompleteReasons ? { incompleteReasons: written.header.incompleteReasons } : {}) },
  });
}

async function runAll(resources: ReturnType<typeof fleetOf>[]) {
  const out: Record<string, string[]> = {};
  for (const policy of await policies()) out[policy.name] = (await runStackPolicy(policy, resources)).map((v) => v.message);
  return out;
}

it("passes a compliant fleet and writes JSON and Markdown reports under the project root", async () => {
  const violations = await runAll([fleetOf(await writeSnapshot(1))]);
  expect(violations).toEqual({ "signatures-current": [], "active-mode": [], "avhealth-reports": [] });
  const report = JSON.parse(await fs.readFile(path.join(tmp, "avhealth-reports", "avhealth-report.json"), "utf8")) as {
    gate: string;
    rules: Array<{ id: string; status: string; percent: number }>;
  };
  expect(report.gate).toBe("pass");
  expect(report.rules.map((r) => [r.id, r.status, r.percent])).toEqual([
    ["signatures-current", "pass", 99],
    ["active-mode", "pass", 100],
  ]);
  expect(await fs.readFile(path.join(tmp, "avhealth-reports", "avhealth-report.md"), "utf8")).toMatch(/signatures-current/);
});

it("reports a mandatory breach with the percent, threshold, counts and failing devices", async () => {
  const violations = await runAll([fleetOf(await writeSnapshot(5))]);
  expect(violations["active-mode"]).toEqual([]);
  expect(violations["signatures-current"]).toHaveLength(1);
  const [message] = violations["signatures-current"];
  expect(message).toContain('DeviceAvHealth "fleet": rule signatures-current failed: 95.00% of 100 counted devices comply, required ≥ 98% (95 passing, 5 failing)');
  expect(message).toContain("device-00000.contoso.test (avIsSignatureUpToDate is false, expected true)");
  expect(message).not.toContain("and 0 more");
  const report = JSON.parse(await fs.readFile(path.join(tmp, "avhealth-reports", "avhealth-report.json"), "utf8")) as { gate: string };
  expect(report.gate).toBe("fail");
});

it("fails closed on an incomplete snapshot", async () => {
  const violations = await runAll([fleetOf(await writeSnapshot(0, ["export part 3 of 4 failed after 5 attempts"]))]);
  expect(violations["signatures-current"]).toEqual([expect.stringMatching(/cannot pass: the data is incomplete \(the snapshot holds 100 devices; lost: export part 3 of 4 failed after 5 attempts\)/)]);
  expect(violations["active-mode"]).toEqual([expect.stringMatching(/cannot pass: the data is incomplete/)]);
});

it("refuses a snapshot file that was tampered with", async () => {
  const written = await writeSnapshot(0);
  const other = await writeSnapshot(50);
  await fs.copyFile(other.path, written.path);
  const violations = await runAll([fleetOf(written)]);
  expect(violations["signatures-current"]).toEqual([expect.stringMatching(/^DeviceAvHealth "fleet": rule signatures-current cannot be checked, so it fails closed: the snapshot file .* holds sha256:/)]);
});

it("turns an invalid rule file into one mandatory policy with the located errors", async () => {
  await fs.writeFile(path.join(packDir, "compliance.yaml"), RULES.replace("avMode: active", "avMode: { inn: [active] }"));
  const built = await policies();
  expect(built.map((p) => [p.name, p.enforcementLevel])).toEqual([["avhealth-rules-invalid", "mandatory"]]);
  const [violation] = await runStackPolicy(built[0], []);
  expect(violation.message).toMatch(new RegExp(`${path.join(packDir, "compliance.yaml").replace(/[/.]/g, "\\$&")}:\\d+:\\d+ rules\\[1\\]\\.require\\.avMode`));
});
