/** A fake fetch and connection resolver for the provider service; fixtures are a healthy 3-device fleet. */
import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import type { ConnectionDescription, ConnectionOverrides, Env } from "../../src/config";
import { AvHealthError, ErrorCodes } from "../../src/errors";
import type { FetchSnapshotOptions, FetchSnapshotResult } from "../../src/fetch/types";
import type { NormalizedDevice } from "../../src/model/device";
import type { SnapshotHeader, SnapshotSummary } from "../../src/snapshot/types";
import type { ProviderDeps } from "../../provider/service";

export type FetchCall = FetchSnapshotOptions & { overrides: ConnectionOverrides; env: Env };

export function makeSummary(overrides: Partial<SnapshotSummary> = {}): SnapshotSummary {
  return {
    deviceCount: 3,
    byAvMode: { active: 3 },
    bySignatureUpToDate: { true: 3, false: 0, unknown: 0 },
    byEngineUpToDate: { true: 3, false: 0, unknown: 0 },
    byPlatformUpToDate: { true: 3, false: 0, unknown: 0 },
    byOsKind: { windows: 3 },
    byRbacGroup: { Prod: 3 },
    stale: 0,
    ...overrides,
  };
}

export function makeDevice(machineId: string, overrides: Partial<NormalizedDevice> = {}): NormalizedDevice {
  return {
    machineId,
    computerDnsName: `${machineId}.contoso.com`,
    osKind: "windows",
    osPlatform: "Windows11",
    osVersion: "10.0.22631",
    avMode: "active",
    avSignatureVersion: "1.401.1234.0",
    avEngineVersion: "1.1.24060.5",
    avPlatformVersion: "4.18.24060.7",
    avIsSignatureUpToDate: true,
    avIsEngineUpToDate: true,
    avIsPlatformUpToDate: true,
    quickScanResult: "Completed",
    quickScanError: null,
    quickScanTime: "2026-11-26T08:00:00Z",
    fullScanResult: null,
    fullScanError: null,
    fullScanTime: null,
    lastSeenTime: "2026-11-27T08:00:00Z",
    dataRefreshTimestamp: "2026-11-27T08:00:00Z",
    avSignatureUpdateTime: null,
    avEngineUpdateTime: null,
    avPlatformUpdateTime: null,
    avSignaturePublishTime: null,
    avSignatureDataRefreshTime: null,
    avModeDataRefreshTime: null,
    cloudProtectionState: "On",
    rbacGroupId: 1,
    rbacGroupName: "Prod",
    ...overrides,
  };
}

export interface FakeFleet {
  /** Changes the fleet's content (and so its digest). */
  version: number;
  complete: boolean;
  summary: SnapshotSummary;
  devices: NormalizedDevice[];
  failWith?: Error;
}

export function fakeFetch(fleet: FakeFleet, clock: () => Date) {
  const calls: FetchCall[] = [];
  const fetchSnapshot = async (options: FetchCall): Promise<FetchSnapshotResult> => {
    calls.push(options);
    if (fleet.failWith) throw fleet.failWith;
    const hex = createHash("sha256").update(`fleet v${fleet.version}`).digest("hex");
    await fs.writeFile(options.outPath, `snapshot v${fleet.version}`);
    const header: SnapshotHeader = {
      kind: "avhealth-snapshot",
      schemaVersion: 1,
      method: "json",
      complete: fleet.complete,
      deviceCount: fleet.summary.deviceCount,
      generatedTime: null,
      fetchedAt: clock().toISOString(),
      source: { apiUrl: "https://127.0.0.1:9", filter: options.filter ?? null },
      digest: `sha256:${hex}`,
      ...(fleet.complete ? {} : { incompleteReasons: ["page 2 of /api/deviceavinfo failed after 5 attempts (HTTP 503)"] }),
    };
    return { header, summary: fleet.summary, path: options.outPath };
  };
  return { calls, fetchSnapshot };
}

export function fakeDescribe(overrides: ConnectionOverrides, env: Env): ConnectionDescription {
  const tenantId = overrides.tenantId ?? env.AZURE_TENANT_ID;
  const clientId = overrides.clientId ?? env.AZURE_CLIENT_ID;
  if (!tenantId || !clientId) throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, "Defender API credentials are incomplete. Set AZURE_TENANT_ID.");
  return {
    tenantId,
    clientId,
    credentialKind: "secret",
    cloud: "commercial",
    apiUrl: overrides.apiUrl ?? env.AVHEALTH_API_URL ?? "https://api.securitycenter.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
  };
}

export function makeDeps(cacheDir: string, fleet: FakeFleet, env: Env, clock: () => Date) {
  const fetch = fakeFetch(fleet, clock);
  const lines: string[] = [];
  const deps: ProviderDeps = {
    fetchSnapshot: fetch.fetchSnapshot,
    describeConnection: fakeDescribe,
    async *readDevices() {
      yield* fleet.devices;
    },
    env,
    cacheDir,
    log: (line) => lines.push(line),
    clock,
  };
  return { deps, calls: fetch.calls, lines };
}
