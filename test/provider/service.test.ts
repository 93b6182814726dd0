import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { createDeviceAvHealthService } from "../../provider/service";
import { UNKNOWN } from "../../provider/inputs";
import { AvHealthError, ErrorCodes } from "../../src/errors";
import { makeDeps, makeDevice, makeSummary, type FakeFleet } from "./fakes";

const CANARY = "canary-secret-7f3a9c1e5b";
const ENV = { AZURE_TENANT_ID: "tenant-a", AZURE_CLIENT_ID: "client-a", AZURE_CLIENT_SECRET: "env-secret-value" };

let tmp: string;
let now: Date;
let fleet: FakeFleet;
const clock = () => now;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-provider-"));
  now = new Date("2026-11-27T12:00:00Z");
  fleet = { version: 1, complete: true, summary: makeSummary(), devices: ["m1", "m2", "m3"].map((id) => makeDevice(id)) };
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A new service is a new provider process (preview pass, update pass): only the disk cache is shared. */
function newProcess(env: Record<string, string> = ENV) {
  return makeDeps(path.join(tmp, "cache"), fleet, env, clock);
}

describe("check", () => {
  it("fetches and returns the inputs plus the snapshot's outputs", async () => {
    const { deps, calls } = newProcess();
    const service = createDeviceAvHealthService(deps);
    const result = await service.check({}, { method: "json", filter: "osPlatform eq 'Windows11'", __provider: "serialized" });
    expect(result.failures).toBeUndefined();
    const inputs = result.inputs as Record<string, unknown>;
    expect(inputs.method).toBe("json");
    expect(inputs.filter).toBe("osPlatform eq 'Windows11'");
    expect(inputs.__provider).toBeUndefined();
    expect(inputs.schemaVersion).toBe(1);
    expect(inputs.deviceCount).toBe(3);
    expect(inputs.summary).toEqual(makeSummary());
    const snapshot = inputs.snapshot as Record<string, unknown>;
    expect(snapshot.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(snapshot.path).toBe(path.join(tmp, "cache", "snapshots", `${(snapshot.digest as string).slice(7)}.ndjson.gz`));
    expect(await fs.readFile(snapshot.path as string, "utf8")).toBe("snapshot v1");
    expect(snapshot).toMatchObject({ method: "json", complete: true, generatedTime: null, fetchedAt: "2026-11-27T12:00:00.000Z" });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "json", filter: "osPlatform eq 'Windows11'" });
  });

  it("shares one fetch between the preview and update passes within cacheTtl, then fetches again", async () => {
    const preview = newProcess();
    const first = await createDeviceAvHealthService(preview.deps).check({}, { cacheTtl: "5m" });
    now = new Date(now.getTime() + 4 * 60 * 1000);
    const update = newProcess();
    const second = await createDeviceAvHealthService(update.deps).check({}, { cacheTtl: "5m" });
    expect(preview.calls).toHaveLength(1);
    expect(update.calls).toHaveLength(0);
    expect(second.inputs).toEqual(first.inputs);
    expect(update.lines.join("\n")).toMatch(/reusing the snapshot fetched at 2026-11-27T12:00:00.000Z/);

    now = new Date(now.getTime() + 2 * 60 * 1000);
    fleet.version = 2;
    const later = newProcess();
    const third = await createDeviceAvHealthService(later.deps).check({}, { cacheTtl: "5m" });
    expect(later.calls).toHaveLength(1);
    expect((third.inputs.snapshot as { digest: string }).digest).not.toBe((first.inputs.snapshot as { digest: string }).digest);
  });

  it("fetches every time with cacheTtl 0", async () => {
    const { deps, calls } = newProcess();
    const service = createDeviceAvHealthService(deps);
    await service.check({}, { cacheTtl: 0 });
    await service.check({}, { cacheTtl: 0 });
    expect(calls).toHaveLength(2);
  });

  it("keys the cache by filter, method and connection", async () => {
    const { deps, calls } = newProcess();
    const service = createDeviceAvHealthService(deps);
    await service.check({}, {});
    await service.check({}, { filter: "osPlatform eq 'WindowsServer2022'" });
    await service.check({}, { method: "files" });
    await service.check({}, { tenantId: "tenant-b" });
    await service.check({}, {});
    expect(calls).toHaveLength(4);
  });

  it("never reuses an incomplete snapshot, and says why it is incomplete", async () => {
    fleet.complete = false;
    const { deps, calls } = newProcess();
    const service = createDeviceAvHealthService(deps);
    const result = await service.check({}, {});
    await service.check({}, {});
    expect(calls).toHaveLength(2);
    expect(result.inputs.snapshot).toMatchObject({ complete: false, incompleteReasons: ["page 2 of /api/deviceavinfo failed after 5 attempts (HTTP 503)"] });
  });

  it("makes the outputs unknown, without fetching, when an input is not known yet", async () => {
    const { deps, calls } = newProcess();
    const result = await createDeviceAvHealthService(deps).check({}, { filter: UNKNOWN });
    expect(calls).toHaveLength(0);
    expect(result.inputs).toEqual({ filter: UNKNOWN, schemaVersion: UNKNOWN, deviceCount: UNKNOWN, summary: UNKNOWN, snapshot: UNKNOWN });
  });

  it("refuses credentials as inputs, without echoing them or keeping them", async () => {
    const { deps, calls } = newProcess();
    const result = await createDeviceAvHealthService(deps).check({}, { clientSecret: CANARY, method: "json" });
    expect(calls).toHaveLength(0);
    expect(result.failures).toHaveLength(1);
    expect(result.failures?.[0].property).toBe("clientSecret");
    expect(result.failures?.[0].reason).toMatch(/pulumi config set --secret avhealth:clientSecret/);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it.each([
    [{ method: "jsno" }, "method", /must be one of auto, json, files \(got "jsno"\)/],
    [{ cloud: "azure-china" }, "cloud", /commercial, gcc, gcc-high, dod/],
    [{ cacheTtl: "5 minutes" }, "cacheTtl", /duration such as 90s, 5m, 1h/],
    [{ cacheTtl: 90000 }, "cacheTtl", /seconds \(0..86400\)/],
    [{ includeDevices: 101 }, "includeDevices", /from 0 to 100/],
    [{ apiUrl: "not a url" }, "apiUrl", /absolute URL/],
    [{ colour: "blue" }, "colour", /not an input of DeviceAvHealth/],
  ])("rejects %j with a failure on %s", async (news, property, reason) => {
    const { deps, calls } = newProcess();
    const result = await createDeviceAvHealthService(deps).check({}, news);
    expect(calls).toHaveLength(0);
    expect(result.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("takes credentials from stack config (configure) over the environment, and inputs over stack config", async () => {
    const { deps, calls } = newProcess();
    const service = createDeviceAvHealthService(deps);
    const config: Record<string, string> = { "avhealth:tenantId": "tenant-config", "avhealth:clientId": "client-config", "avhealth:clientSecret": CANARY };
    await service.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
    const result = await service.check({}, { tenantId: "tenant-input" });
    expect(calls[0].overrides).toEqual({ tenantId: "tenant-input", clientId: "client-config", clientSecret: CANARY });
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("falls back to PULUMI_CONFIG when configure was not called", async () => {
    const { deps, calls } = newProcess({ ...ENV, PULUMI_CONFIG: JSON.stringify({ "avhealth:clientSecret": CANARY, "other:key": "x" }) });
    await createDeviceAvHealthService(deps).check({}, {});
    expect(calls[0].overrides).toEqual({ clientSecret: CANARY });
  });

  it("turns a fetch error into a one-line error with its code, redacted, without a stack", async () => {
    fleet.failWith = new AvHealthError(ErrorCodes.AUTH_FAILED, `token request failed: the server echoed ${CANARY}`);
    const { deps } = newProcess({ ...ENV, PULUMI_CONFIG: JSON.stringify({ "avhealth:clientSecret": CANARY }) });
    const error = (await createDeviceAvHealthService(deps).check({}, {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^DeviceAvHealth: token request failed: the server echoed \[REDACTED\] \[AUTH_FAILED\]$/);
    expect(error.message).not.toContain(CANARY);
    expect(error.stack).toBe("");
  });

  it("reports missing credentials before any fetch", async () => {
    const { deps, calls } = newProcess({});
    const error = (await createDeviceAvHealthService(deps).check({}, {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/\[AUTH_MISSING_CONFIG\]/);
    expect(calls).toHaveLength(0);
  });

  it("includes devices only when asked, bounded in count", async () => {
    const { deps } = newProcess();
    const service = createDeviceAvHealthService(deps);
    expect((await service.check({}, {})).inputs.devices).toBeUndefined();
    const devices = (await service.check({}, { includeDevices: 2 })).inputs.devices as Array<{ machineId: string }>;
    expect(devices.map((d) => d.machineId)).toEqual(["m1", "m2"]);
  });

  it("includes the devices with the smallest machineIds, whatever their order in the snapshot", async () => {
    fleet.devices = ["m3", "m9", "m1", "m7", "m2"].map((id) => makeDevice(id));
    const { deps } = newProcess();
    const devices = (await createDeviceAvHealthService(deps).check({}, { includeDevices: 3 })).inputs.devices as Array<{ machineId: string }>;
    expect(devices.map((d) => d.machineId)).toEqual(["m1", "m2", "m3"]);
  });

  it("bounds the included devices in bytes too", async () => {
    fleet.devices = Array.from({ length: 100 }, (_, i) => makeDevice(`m${String(i).padStart(3, "0")}`, { computerDnsName: `${"x".repeat(240)}-${i}` }));
    const { deps } = newProcess();
    const devices = (await createDeviceAvHealthService(deps).check({}, { includeDevices: 100 })).inputs.devices as unknown[];
    expect(devices.length).toBeGreaterThan(5);
    expect(devices.length).toBeLessThan(100);
    expect(Buffer.byteLength(JSON.stringify(devices))).toBeLessThanOrEqual(16 * 1024);
  });

  it("keeps the 50 largest RBAC groups and folds the rest", async () => {
    const groups = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`group-${String(i).padStart(3, "0")}`, 1000 - i]));
    fleet.summary = makeSummary({ byRbacGroup: groups });
    const { deps } = newProcess();
    const result = await createDeviceAvHealthService(deps).check({}, {});
    const kept = (result.inputs.summary as { byRbacGroup: Record<string, number> }).byRbacGroup;
    expect(Object.keys(kept)).toHaveLength(50);
    expect(kept["group-000"]).toBe(1000);
    expect(kept["group-048"]).toBe(952);
    expect(kept["group-049"]).toBeUndefined();
    const rest = Array.from({ length: 351 }, (_, i) => 1000 - (i + 49)).reduce((a, b) => a + b, 0);
    expect(kept["(other groups)"]).toBe(rest);
    expect(Buffer.byteLength(JSON.stringify(result.inputs))).toBeLessThan(8 * 1024);
  });
});

describe("diff, create, update, read, delete", () => {
  const snapshot = (digest: string, fetchedAt = "2026-11-27T12:00:00Z") => ({ digest, path: "/p", method: "json", complete: true, generatedTime: null, fetchedAt });
  const base = { method: "auto", schemaVersion: 1, deviceCount: 3, summary: makeSummary() };

  it("reports a change when the digest changes, and none when only fetchedAt does", async () => {
    const { deps } = newProcess();
    const service = createDeviceAvHealthService(deps);
    const olds = { ...base, snapshot: snapshot("sha256:a") };
    expect(await service.diff("id", olds, { ...base, snapshot: snapshot("sha256:a", "2026-11-27T13:00:00Z") })).toEqual({ changes: false });
    expect(await service.diff("id", olds, { ...base, snapshot: snapshot("sha256:b") })).toEqual({ changes: true });
    expect(await service.diff("id", olds, { ...base, method: "files", snapshot: snapshot("sha256:a") })).toEqual({ changes: true });
    expect(await service.diff("id", olds, { ...base, snapshot: UNKNOWN })).toEqual({ changes: true });
  });

  it("returns full outputs from create and update, the state from read, and deletes nothing", async () => {
    const { deps, calls } = newProcess();
    const service = createDeviceAvHealthService(deps);
    const props = { ...base, snapshot: snapshot("sha256:a"), __provider: "serialized" };
    const created = await service.create(props);
    expect(created.id).toMatch(/^avhealth-[0-9a-f-]{36}$/);
    expect(created.outs).toEqual({ ...base, snapshot: snapshot("sha256:a") });
    expect((await service.update("id", {}, props)).outs).toEqual({ ...base, snapshot: snapshot("sha256:a") });
    expect(await service.read("id", props)).toEqual({ id: "id", props: { ...base, snapshot: snapshot("sha256:a") } });
    await expect(service.delete("id", props)).resolves.toBeUndefined();
    expect(calls).toHaveLength(0);
  });
});
