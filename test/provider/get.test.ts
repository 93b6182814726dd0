/**
 * getDeviceAvHealth() over real HTTPS against the emulator: the same outputs as the resource, the same disk
 * cache (a second call within cacheTtl makes no request), and typed, secret-free errors.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { getDeviceAvHealth } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { readSnapshot } from "../../src/snapshot";
import { apiRecord } from "../policy/e2e-support";

const CANARY = "avh-get-canary-93c1d7e2a4";

describe("getDeviceAvHealth", () => {
  let emulator: RunningEmulator;
  let cacheDir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    const fleet = Array.from({ length: 25 }, (_, i) => apiRecord(i, i < 5 ? { avIsSignatureUpToDate: "False" } : {}));
    emulator = await startEmulator({ fleet, rateLimit: "off", clientSecret: CANARY });
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-get-"));
    Object.assign(process.env, {
      AZURE_TENANT_ID: emulator.tenantId,
      AZURE_CLIENT_ID: emulator.clientId,
      AVHEALTH_API_URL: emulator.apiUrl,
      AZURE_AUTHORITY_HOST: emulator.authorityHost,
      AVHEALTH_CA_FILE: emulator.caCertPath,
      AVHEALTH_CACHE_DIR: cacheDir,
      // As Pulumi hands stack config to a program: the secret comes from `avhealth:clientSecret`.
      PULUMI_CONFIG: JSON.stringify({ "avhealth:clientSecret": CANARY }),
    });
  });

  afterAll(async () => {
    process.env = saved;
    await emulator?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("returns the snapshot's outputs and reuses the cache within cacheTtl", async () => {
    const result = await getDeviceAvHealth({ method: "json", includeDevices: 3 });
    expect(result.deviceCount).toBe(25);
    expect(result.summary.bySignatureUpToDate).toEqual({ true: 20, false: 5, unknown: 0 });
    expect(result.snapshot).toMatchObject({ method: "json", complete: true });
    expect(result.devices?.map((d) => d.machineId)).toEqual([1, 2, 3].map((n) => n.toString(16).padStart(40, "0")));
    const opened = await readSnapshot(result.snapshot.path);
    expect(opened.header.digest).toBe(result.snapshot.digest);

    const calls = emulator.requestCounts().deviceavinfo;
    const again = await getDeviceAvHealth({ method: "json" });
    expect(emulator.requestCounts().deviceavinfo).toBe(calls);
    expect(again.snapshot.digest).toBe(result.snapshot.digest);
    expect(JSON.stringify([result, again])).not.toContain(CANARY);
  });

  it("rejects invalid arguments before any request", async () => {
    const calls = emulator.requestCounts().deviceavinfo;
    await expect(getDeviceAvHealth({ method: "xml" as never })).rejects.toThrow(/invalid arguments to getDeviceAvHealth: method: must be one of auto, json, files/);
    expect(emulator.requestCounts().deviceavinfo).toBe(calls);
  });
});
