import { createFleetSource } from "../../src/emulator/fleet/source";
import { toFileLine, toFileRecord } from "../../src/emulator";
import { isAvHealthError } from "../../src/errors";
import { isoTime } from "../../src/emulator/fleet/iso-time";
import { DOC_EXAMPLE } from "./doc-example";
import { fromFileLine, fromJson } from "./normalize";

const REF = Date.parse("2025-03-01T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

describe("generated fleet", () => {
  const sample = createFleetSource({ devices: 3000, seed: "mix" }, REF);
  const devices = Array.from({ length: sample.size }, (_, i) => sample.device(i));

  it("is the same for the same seed and different for another", () => {
    const again = createFleetSource({ devices: 3000, seed: "mix" }, REF);
    const other = createFleetSource({ devices: 3000, seed: "other" }, REF);
    expect(JSON.stringify(again.device(1234))).toBe(JSON.stringify(devices[1234]));
    expect(other.device(1234).machineId).not.toBe(devices[1234]?.machineId);
  });

  it("computes device i without the rest of the fleet (a million-device fleet costs nothing to create)", () => {
    const huge = createFleetSource({ devices: 1_000_000, seed: "mix" }, REF);
    expect(huge.size).toBe(1_000_000);
    expect(JSON.stringify(huge.device(2999))).toBe(JSON.stringify(devices[2999]));
    expect(huge.device(999_999).machineId).toMatch(/^[0-9a-f]{40}$/);
  });

  it("has unique 40-hex machine ids equal to id", () => {
    const ids = new Set(devices.map((d) => d.machineId));
    expect(ids.size).toBe(3000);
    expect(devices.filter((d) => d.id !== d.machineId || !/^[0-9a-f]{40}$/.test(String(d.machineId)))).toEqual([]);
  });

  const values = (field: string): Set<unknown> => new Set(devices.map((d) => d[field]));

  it("covers every avMode, OS family, flag state and scan outcome", () => {
    expect(values("avMode")).toEqual(new Set(["0", "1", "2", "3", "4", "5", ""]));
    expect(values("osKind")).toEqual(new Set(["windows", "mac", "linux"]));
    for (const flag of ["avIsSignatureUpToDate", "avIsEngineUpToDate", "avIsPlatformUpToDate"]) {
      expect(values(flag)).toEqual(new Set(["True", "False", "Unknown"]));
    }
    expect(values("quickScanResult")).toEqual(new Set(["Completed", "Failed", "Canceled", "Cancelled", ""]));
    expect(values("fullScanResult")).toEqual(new Set(["Completed", "Failed", "Canceled", "Cancelled", ""]));
    expect(values("quickScanTime").has(null)).toBe(true);
    expect(values("quickScanTime").has("0001-01-01T00:00:00Z")).toBe(true);
    expect(values("avEngineUpdateTime").has("0001-01-01T00:00:00Z")).toBe(true);
    expect(values("rbacGroupId").size).toBeGreaterThanOrEqual(6);
  });

  it("has stale devices and hostile names", () => {
    const stale = devices.filter((d) => Date.parse(String(d.dataRefreshTimestamp)) < REF - 7 * DAY);
    expect(stale.length).toBeGreaterThan(50);
    expect(stale.length).toBeLessThan(400);
    const names = devices.map((d) => String(d.computerDnsName));
    expect(names[2]).toBe("<img src=x onerror=alert(1)>-000002");
    expect(names.some((n) => n.includes("|") && n.includes("]]>"))).toBe(true);
    // eslint-disable-next-line no-control-regex -- counting names outside ASCII
    expect(names.filter((n) => /[^\x00-\x7f]/.test(n)).length).toBeGreaterThan(10);
  });

  it("shows the variety within the first 12 devices", () => {
    const first = devices.slice(0, 12);
    expect(new Set(first.map((d) => d.avMode)).size).toBe(7);
    expect(new Set(first.map((d) => d.osKind)).size).toBe(3);
  });

  it("only uses OsPlatform values that map to one osKind", () => {
    const kindOf = (p: string): string => (p.startsWith("Windows") ? "windows" : p === "macOS" ? "mac" : "linux");
    expect(devices.filter((d) => d.osKind !== kindOf(String(d.osPlatform)))).toEqual([]);
    expect(values("osPlatform")).toEqual(
      new Set(["Windows10", "Windows11", "WindowsServer2016", "WindowsServer2019", "WindowsServer2022", "WindowsServer2025", "macOS", "Linux", "Ubuntu", "RedHatEnterpriseLinux"]),
    );
  });

  it("carries the same facts in the via-files shape for every device", () => {
    const differing = devices.filter((d) => fromFileLine(toFileLine(d)) !== fromJson(d));
    expect(differing).toEqual([]);
  });
});

describe("via-files record shape", () => {
  const fleet = createFleetSource({ devices: 12, seed: "shape" }, REF);

  it("has PascalCase top-level keys, stringified nested JSON and the inconsistent casing", () => {
    const record = toFileRecord(fleet.device(0));
    expect(Object.keys(record)).toEqual([
      "DeviceId", "DeviceName", "OsPlatform", "OsVersion", "LastSeenTime", "RbacGroupId", "RbacGroupName", "Timestamp", "DeviceGatheredInfo", "DeviceCategory",
    ]);
    expect(typeof record.DeviceGatheredInfo).toBe("string");
    const gathered = JSON.parse(String(record.DeviceGatheredInfo)) as Record<string, unknown>;
    expect(gathered).toHaveProperty("AvIsSignatureUptoDate", true);
    expect(gathered).toHaveProperty("AvIsEngineUptodate", true);
    expect(gathered).toHaveProperty("AvIsPlatformUptodate", true);
    expect(gathered).toHaveProperty("SslClient20", false);
    expect(gathered).toHaveProperty("Log4j_CVE_2021_44228");
    expect(gathered).toHaveProperty("EBPFStatus");
    expect(typeof gathered.AvScanResults).toBe("string");
    const scans = JSON.parse(String(gathered.AvScanResults)) as Record<string, unknown>;
    expect(Object.keys(scans)).toEqual(["Quick", "Full"]);
  });

  it("maps Unknown flags to null and blank scans to null, keeping sentinel times", () => {
    const mac = toFileRecord(fleet.device(3));
    const gathered = JSON.parse(String(mac.DeviceGatheredInfo)) as Record<string, unknown>;
    expect([gathered.AvIsSignatureUptoDate, gathered.AvIsEngineUptodate, gathered.AvIsPlatformUptodate]).toEqual([null, null, null]);
    const sentinel = JSON.parse(String((JSON.parse(String(toFileRecord(fleet.device(4)).DeviceGatheredInfo)) as Record<string, unknown>).AvScanResults)) as Record<string, unknown>;
    expect(sentinel.Quick).toEqual({ ScanStatus: null, ErrorCode: null, Timestamp: "0001-01-01T00:00:00Z" });
    const never = JSON.parse(String((JSON.parse(String(toFileRecord(fleet.device(2)).DeviceGatheredInfo)) as Record<string, unknown>).AvScanResults)) as Record<string, unknown>;
    expect(never.Quick).toBeNull();
  });

  it("converts a given JSON-API record with the same facts", () => {
    const given = { ...DOC_EXAMPLE, avIsEngineUpToDate: "False", avIsPlatformUpToDate: "Unknown" };
    expect(fromFileLine(toFileLine(given))).toBe(fromJson(given));
    const top = toFileRecord(given);
    expect(top).toMatchObject({ DeviceId: given.machineId, Timestamp: given.dataRefreshTimestamp, RbacGroupId: 4415 });
  });

  it("rejects a given fleet that is not a list of devices with ids", () => {
    for (const fleet of [[{ computerDnsName: "x" }], [42]] as unknown as Record<string, unknown>[][]) {
      let caught: unknown;
      try {
        createFleetSource({ fleet }, REF);
      } catch (error) {
        caught = error;
      }
      expect(isAvHealthError(caught, "CONFIG_INVALID")).toBe(true);
    }
  });
});

describe("isoTime", () => {
  it("formats exactly as Date#toISOString, with and without milliseconds", () => {
    const samples = [0, 951_782_400_000, 1_709_251_199_999, 1_740_830_400_123, 4_102_444_800_000 - 1];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor((i * 7_919_993_311) % 4_000_000_000_000));
    const wrong = samples.filter((ms) => isoTime(ms, true) !== new Date(ms).toISOString() || isoTime(ms) !== new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(wrong).toEqual([]);
  });
});
