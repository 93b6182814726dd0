/**
 * Shared by the end-to-end tests of the provider, the pack and the demo: fleets in the /api/deviceavinfo shape
 * (healthy by default, each fleet changes one thing), a throwaway Pulumi project that uses this package the way
 * a user's would, and the environment that points a Pulumi run at an emulator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../e2e/helpers/toolchain";

export type ApiRecord = Record<string, unknown>;

export interface FleetSpec {
  devices: number;
  /** The first N devices report out-of-date signatures. */
  outdatedSignatures?: number;
  /** The last N devices run Defender in passive mode. */
  passive?: number;
}

/** A healthy device in the API's shape, seen an hour ago. */
export function apiRecord(index: number, overrides: ApiRecord = {}, now = Date.now()): ApiRecord {
  const id = (index + 1).toString(16).padStart(40, "0");
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    id,
    machineId: id,
    computerDnsName: `pc-${String(index).padStart(6, "0")}.contoso.com`,
    osKind: "windows",
    osPlatform: "Windows11",
    osVersion: "10.0.22631",
    avMode: "0",
    avSignatureVersion: "1.421.1500.0",
    avEngineVersion: "1.1.25010.7",
    avPlatformVersion: "4.18.25010.11",
    lastSeenTime: at(1),
    quickScanResult: "Completed",
    quickScanError: "",
    quickScanTime: at(20),
    fullScanResult: "Completed",
    fullScanError: "",
    fullScanTime: at(100),
    dataRefreshTimestamp: at(1),
    avEngineUpdateTime: at(48),
    avSignatureUpdateTime: at(5),
    avPlatformUpdateTime: at(200),
    avIsSignatureUpToDate: "True",
    avIsEngineUpToDate: "True",
    avIsPlatformUpToDate: "True",
    avSignaturePublishTime: at(8),
    rbacGroupName: "Prod",
    rbacGroupId: 1,
    avSignatureDataRefreshTime: at(1),
    cloudProtectionState: "On",
    avModeDataRefreshTime: at(1),
    ...overrides,
  };
}

export function makeFleet(spec: FleetSpec): ApiRecord[] {
  return Array.from({ length: spec.devices }, (_, index) => {
    const overrides: ApiRecord = {};
    if (index < (spec.outdatedSignatures ?? 0)) overrides.avIsSignatureUpToDate = "False";
    if (index >= spec.devices - (spec.passive ?? 0)) overrides.avMode = "1";
    return apiRecord(index, overrides);
  });
}

export interface EmulatorConnection {
  apiUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  caCertPath: string;
}

/** What a Pulumi run needs to reach the emulator; the client secret is left to the caller (env or stack config). */
export function emulatorEnv(emulator: EmulatorConnection): Record<string, string> {
  return {
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AVHEALTH_API_URL: emulator.apiUrl,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
  };
}

export const E2E_RULES = path.join(REPO_ROOT, "test", "policy", "fixtures", "e2e-rules.yaml");
export const E2E_RULES_INVALID = path.join(REPO_ROOT, "test", "policy", "fixtures", "e2e-rules-invalid.yaml");
export const POLICY_PACK = path.join(REPO_ROOT, "policies");

export interface TestProject {
  dir: string;
  remove(): void;
}

/**
 * A JavaScript Pulumi project in a temp directory whose node_modules links this repository's dependencies and
 * the package itself (as an install would), so the provider resolves `pulumi-defender-avhealth/provider/impl`
 * from the project exactly as in a user's project. Config: `cacheTtl`, `method`.
 */
export function makeTestProject(name = "avhealth-e2e"): TestProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-e2e-project-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.js\n`);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }, null, 2));
  fs.writeFileSync(
    path.join(dir, "index.js"),
    [
      'const pulumi = require("@pulumi/pulumi");',
      'const { DeviceAvHealth } = require("pulumi-defender-avhealth/provider");',
      "const config = new pulumi.Config();",
      'const fleet = new DeviceAvHealth("fleet", { cacheTtl: config.get("cacheTtl") || "5m", method: config.get("method") });',
      "exports.deviceCount = fleet.deviceCount;",
      "exports.digest = fleet.snapshot.digest;",
      "",
    ].join("\n"),
  );
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === ".bin" || entry === ".package-lock.json") continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.symlinkSync(REPO_ROOT, path.join(modules, "pulumi-defender-avhealth"), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Where the reports of a run in `projectDir` land by default. */
export function reportDir(projectDir: string): string {
  return path.join(projectDir, "avhealth-reports");
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}
