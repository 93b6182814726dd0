/**
 * Hand-built policy arguments and a fake engine, so the pack's policies run without Pulumi, files of rules, or
 * snapshots. Fixtures are compliant by default; each test changes one thing.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import type { AvHealthReport, EvaluationResult, FailingDevice, RuleResult } from "../../src/report-model/types";
import type { FleetPins } from "../../src/config/types";
import type { CompiledRule, CompiledRuleSet } from "../../src/rules/types";
import type { PolicyEngine } from "../../src/policy/types";
import type { SnapshotHeader } from "../../src/snapshot/types";

export const TYPE = "pulumi-nodejs:dynamic/defender:DeviceAvHealth";
export const DIGEST = `sha256:${"ab".repeat(32)}`;

export function makeRule(overrides: Partial<CompiledRule> = {}): CompiledRule {
  return {
    id: "signatures-current",
    description: "Signatures are current",
    severity: "high",
    enforcement: "mandatory",
    threshold: { minPercent: 98, maxFailing: null },
    regression: { maxPercentDrop: null, maxNewlyFailing: null, ratchet: false },
    scopeName: null,
    location: { line: 1, column: 1 },
    scopeIndex: -1,
    require: { test: () => "pass", explain: () => "", text: "avIsSignatureUpToDate eq true" },
    ...overrides,
  };
}

/** Trust pins for a tenant: Microsoft's hosts, no extra CA, the defaults of settings.fleet. */
export function makePins(tenantId: string, overrides: Partial<FleetPins> = {}): FleetPins {
  return { tenantId, cloud: "commercial", allowApiUrls: [], allowAuthorityHosts: [], caFiles: [], caCertificates: [], method: "auto", cacheTtlSeconds: 300, signed: null, ...overrides };
}

/** The rule set with its fleet pinned. */
export function makePinnedRuleSet(pins: FleetPins, rules?: CompiledRule[]): CompiledRuleSet {
  const base = makeRuleSet(rules);
  return { ...base, settings: { ...base.settings, fleet: pins } };
}

export function makeRuleSet(rules: CompiledRule[] = [makeRule()]): CompiledRuleSet {
  return {
    file: "compliance.yaml",
    settings: { staleAfter: "7d", staleAfterMs: 7 * 86400000, unknown: "fail", minDevices: 1, fleet: null, baseline: null, history: null },
    rules,
    exceptions: [],
    selectors: [],
  };
}

export function makeRuleResult(overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    id: "signatures-current",
    description: "Signatures are current",
    severity: "high",
    enforcement: "mandatory",
    status: "pass",
    counts: { inScope: 1000, pass: 1000, fail: 0, unknown: 0, waived: 0, counted: 1000, passing: 1000, failing: 0 },
    percent: 100,
    threshold: { minPercent: 98, maxFailing: null },
    failingDevices: [],
    comparison: null,
    baselineNote: null,
    ...overrides,
  };
}

export function failing(count: number): FailingDevice[] {
  return Array.from({ length: count }, (_, i) => ({
    machineId: `m${String(i).padStart(4, "0")}`,
    computerDnsName: `host-${String(i).padStart(4, "0")}.contoso.com`,
    outcome: "fail" as const,
    reason: "avIsSignatureUpToDate is false",
  }));
}

export function makeResult(rules: RuleResult[] = [makeRuleResult()], complete = true): EvaluationResult {
  const report: AvHealthReport = {
    kind: "avhealth-report",
    schemaVersion: 2,
    evaluatedAt: "2026-11-27T12:00:00.000Z",
    gate: rules.some((r) => r.enforcement === "mandatory" && r.status !== "pass" && r.status !== "disabled") ? "fail" : "pass",
    snapshot: { digest: DIGEST, method: "json", complete, deviceCount: 1000, generatedTime: null, tenantId: null },
    baseline: null,
    rules,
    exceptions: [],
  };
  return { report, rbacGroups: [], rulesFile: "compliance.yaml" };
}

export function makeHeader(overrides: Partial<SnapshotHeader> = {}): SnapshotHeader {
  return {
    kind: "avhealth-snapshot",
    schemaVersion: 1,
    method: "json",
    complete: true,
    deviceCount: 1000,
    generatedTime: null,
    fetchedAt: "2026-11-27T11:59:00.000Z",
    source: { apiUrl: "https://127.0.0.1:1", filter: null },
    digest: DIGEST,
    ...overrides,
  };
}

export interface FakeEngine extends PolicyEngine {
  calls: { evaluate: number; writeReports: Array<{ dir: string; formats: readonly string[] }>; opened: string[] };
}

export function fakeEngine(options: { rules?: CompiledRuleSet | Error; result?: EvaluationResult; header?: SnapshotHeader } = {}): FakeEngine {
  const calls: FakeEngine["calls"] = { evaluate: 0, writeReports: [], opened: [] };
  return {
    calls,
    async loadRules() {
      if (options.rules instanceof Error) throw options.rules;
      return options.rules ?? makeRuleSet();
    },
    async openSnapshot(path) {
      calls.opened.push(path);
      return { header: options.header ?? makeHeader(), devices: async function* () {} };
    },
    async evaluate() {
      calls.evaluate += 1;
      return options.result ?? makeResult();
    },
    serializeReportChunks: (report) => [`${JSON.stringify(report)}\n`],
    async writeReports(_result, writeOptions) {
      calls.writeReports.push({ dir: writeOptions.dir, formats: writeOptions.formats });
      const fs = await import("node:fs/promises");
      const path = await import("node:path");
      await fs.mkdir(writeOptions.dir, { recursive: true });
      const files: Record<string, string> = {};
      for (const format of writeOptions.formats) {
        const file = path.join(writeOptions.dir, `avhealth-report.${format}`);
        const json = writeOptions.jsonText;
        const jsonText = typeof json === "function" ? [...json()].join("") : (json ?? "");
        await fs.writeFile(file, format === "json" ? jsonText : `# report (${format})\n`);
        files[format] = file;
      }
      return files;
    },
    renderMarkdown: () => "# avhealth report\n",
  };
}

export function fleetResource(name: string, props: Record<string, unknown>): PolicyResource {
  return {
    type: TYPE,
    props: unknownCheckingProxy(props) as Record<string, unknown>,
    urn: `urn:pulumi:dev::proj::${TYPE}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}

export function knownFleet(name: string, snapshotPath: string, overrides: Record<string, unknown> = {}): PolicyResource {
  return fleetResource(name, {
    schemaVersion: 1,
    deviceCount: 1000,
    summary: {},
    snapshot: { digest: DIGEST, path: snapshotPath, method: "json", complete: true, generatedTime: null, fetchedAt: "2026-11-27T11:59:00.000Z" },
    ...overrides,
  });
}

export interface Violation {
  message: string;
  urn?: string;
}

/** Runs a stack policy the way the pack's server does and collects its violations. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: PolicyResource[], config: object = {}): Promise<Violation[]> {
  const violations: Violation[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
  await policy.validateStack(args, (message, urn) => violations.push({ message, urn }));
  return violations;
}

export interface PackProject {
  tmp: string;
  packDir: string;
  snapshotPath: string;
  env: Record<string, string>;
}

/** A throwaway project "demo-project" with a policies/ pack dir, a snapshot file the fake engine never reads, and a private cache. */
export async function makePackProject(prefix: string, pulumiYaml: string): Promise<PackProject> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.writeFile(path.join(tmp, "Pulumi.yaml"), pulumiYaml);
  const packDir = path.join(tmp, "policies");
  await fs.mkdir(packDir);
  const snapshotPath = path.join(tmp, "snap.ndjson.gz");
  await fs.writeFile(snapshotPath, "not read by the fake engine");
  return { tmp, packDir, snapshotPath, env: { PULUMI_PROJECT: "demo-project", AVHEALTH_CACHE_DIR: path.join(tmp, "cache") } };
}

/** The stack resource, as every deployment has one; violations about the pack's own snapshot go there. */
export const STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";

export function stackResource(): PolicyResource {
  return { ...fleetResource("proj-dev", {}), type: "pulumi:pulumi:Stack", urn: STACK_URN } as PolicyResource;
}
