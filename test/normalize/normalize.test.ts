import { isAvHealthError } from "../../src/errors";
import { DEVICE_FIELDS, type NormalizedDevice } from "../../src/model/device";
import { normalizeFileRecord, normalizeJsonRecord, type NormalizeWarning } from "../../src/normalize";
import { EXPECTED, fileRecord, jsonRecord, type FileRecordParts } from "./fixtures";

const at = { source: "part 2 of 5", line: 17 };

function both(json: Record<string, unknown>, file: FileRecordParts): [NormalizedDevice, NormalizedDevice] {
  return [normalizeJsonRecord(jsonRecord(json), { location: at }), normalizeFileRecord(fileRecord(file), { location: at })];
}

describe("the same device in both shapes", () => {
  it("gives the expected record, every field, in both shapes", () => {
    const [fromJson, fromFile] = both({}, {});
    expect(fromJson).toEqual(EXPECTED);
    expect(fromFile).toEqual(EXPECTED);
    expect(Object.keys(fromJson)).toEqual(DEVICE_FIELDS.map(([f]) => f));
  });

  it("reads nested DeviceGatheredInfo and AvScanResults given as objects", () => {
    expect(normalizeFileRecord(fileRecord({ asObjects: true }), { location: at })).toEqual(EXPECTED);
  });

  // field, JSON-shape change, file-shape change, expected normalized value
  it.each<[keyof NormalizedDevice, Record<string, unknown>, FileRecordParts, unknown]>([
    ["computerDnsName", { computerDnsName: "" }, { top: { DeviceName: "" } }, null],
    ["computerDnsName", { computerDnsName: "Ünïcode<b>.contoso.com" }, { top: { DeviceName: "Ünïcode<b>.contoso.com" } }, "Ünïcode<b>.contoso.com"],
    ["osKind", { osKind: "mac", osPlatform: "macOS" }, { top: { OsPlatform: "macOS" } }, "mac"],
    ["osKind", { osKind: "linux", osPlatform: "Ubuntu" }, { top: { OsPlatform: "Ubuntu" } }, "linux"],
    ["osKind", { osKind: "linux", osPlatform: "RedHatEnterpriseLinux" }, { top: { OsPlatform: "RedHatEnterpriseLinux" } }, "linux"],
    ["osKind", { osKind: "windows", osPlatform: "WindowsServer2022" }, { top: { OsPlatform: "WindowsServer2022" } }, "windows"],
    ["osKind", { osKind: null, osPlatform: "Linux" }, { top: { OsPlatform: "Linux" } }, "linux"],
    ["osKind", { osKind: "", osPlatform: "iOS" }, { top: { OsPlatform: "iOS" } }, null],
    ["osPlatform", { osPlatform: "", osKind: "" }, { top: { OsPlatform: "" } }, null],
    ["osVersion", { osVersion: "12.4.0.0" }, { top: { OsVersion: "12.4.0.0" } }, "12.4.0.0"],
    ["avMode", { avMode: "1" }, { info: { AvMode: "1" } }, "passive"],
    ["avMode", { avMode: "2" }, { info: { AvMode: "2" } }, "disabled"],
    ["avMode", { avMode: "3" }, { info: { AvMode: "3" } }, "other"],
    ["avMode", { avMode: "4" }, { info: { AvMode: "4" } }, "edrBlocked"],
    ["avMode", { avMode: "5" }, { info: { AvMode: "5" } }, "passiveAudit"],
    ["avMode", { avMode: "" }, { info: { AvMode: "" } }, "other"],
    ["avMode", { avMode: "9" }, { info: { AvMode: null } }, "other"],
    ["avSignatureVersion", { avSignatureVersion: "" }, { info: { AvSignatureVersion: "" } }, null],
    ["avEngineVersion", { avEngineVersion: null }, { info: { AvEngineVersion: null } }, null],
    ["avPlatformVersion", { avPlatformVersion: "4.18.2206.108" }, { info: { AvPlatformVersion: "4.18.2206.108" } }, "4.18.2206.108"],
    ["avIsSignatureUpToDate", { avIsSignatureUpToDate: "False" }, { info: { AvIsSignatureUptoDate: false } }, false],
    ["avIsSignatureUpToDate", { avIsSignatureUpToDate: "Unknown" }, { info: { AvIsSignatureUptoDate: "Unknown" } }, null],
    ["avIsEngineUpToDate", { avIsEngineUpToDate: "true" }, { info: { AvIsEngineUptodate: "True" } }, true],
    ["avIsPlatformUpToDate", { avIsPlatformUpToDate: "True" }, { info: { AvIsPlatformUptodate: true } }, true],
    ["avIsPlatformUpToDate", { avIsPlatformUpToDate: null }, { info: { AvIsPlatformUptodate: "" } }, null],
    ["quickScanResult", { quickScanResult: "", quickScanError: "", quickScanTime: null }, { scans: { Quick: null } }, null],
    ["quickScanResult", { quickScanResult: "Cancelled" }, { scans: { Quick: { ScanStatus: "Cancelled" } } }, "Canceled"],
    ["quickScanError", { quickScanError: "0x1" }, { scans: { Quick: { ErrorCode: "0x1" } } }, "0x1"],
    ["quickScanTime", { quickScanTime: "0001-01-01T00:00:00Z" }, { scans: { Quick: { Timestamp: "0001-01-01T00:00:00Z" } } }, null],
    ["fullScanResult", { fullScanResult: "Canceled" }, { scans: { Full: { ScanStatus: "Canceled" } } }, "Canceled"],
    ["fullScanError", { fullScanError: "" }, { scans: { Full: { ErrorCode: "" } } }, null],
    ["fullScanTime", { fullScanTime: null, fullScanResult: "", fullScanError: "" }, { scans: { Full: null } }, null],
    ["lastSeenTime", { lastSeenTime: "2024-05-01T10:00:00.1234567Z" }, { top: { LastSeenTime: "2024-05-01T10:00:00.1234567Z" } }, "2024-05-01T10:00:00.123Z"],
    ["dataRefreshTimestamp", { dataRefreshTimestamp: "2024-05-01T14:01:00+02:00" }, { top: { Timestamp: "2024-05-01T12:01:00Z" } }, "2024-05-01T12:01:00.000Z"],
    ["avSignatureUpdateTime", { avSignatureUpdateTime: "0001-01-01T00:00:00" }, { info: { AvSignatureUpdateTime: "0001-01-01T00:00:00.0000000Z" } }, null],
    ["avEngineUpdateTime", { avEngineUpdateTime: "" }, { info: { AvEngineUpdateTime: "" } }, null],
    ["avPlatformUpdateTime", { avPlatformUpdateTime: "2024-04-20T16:59:35" }, { info: { AvPlatformUpdateTime: "2024-04-20T16:59:35Z" } }, "2024-04-20T16:59:35.000Z"],
    ["avSignaturePublishTime", { avSignaturePublishTime: null }, { info: { AvSignaturePublishTime: undefined } }, null],
    ["avSignatureDataRefreshTime", { avSignatureDataRefreshTime: "2024-05-01" }, { info: { AvSignatureDataRefreshTime: "2024-05-01T00:00:00Z" } }, "2024-05-01T00:00:00.000Z"],
    ["avModeDataRefreshTime", { avModeDataRefreshTime: "0001-01-01T00:00:00Z" }, { info: { AvModeDataRefreshTime: null } }, null],
    ["cloudProtectionState", { cloudProtectionState: "" }, { info: { CloudProtectionState: "" } }, null],
    ["rbacGroupId", { rbacGroupId: null }, { top: { RbacGroupId: null } }, null],
    ["rbacGroupId", { rbacGroupId: "44" }, { top: { RbacGroupId: 44 } }, 44],
    ["rbacGroupName", { rbacGroupName: "" }, { top: { RbacGroupName: "" } }, null],
  ])("%s: %j / %j → %j", (field, json, file, expected) => {
    const [fromJson, fromFile] = both(json, file);
    expect(fromJson[field]).toEqual(expected);
    expect(fromFile[field]).toEqual(expected);
    expect(fromFile).toEqual(fromJson);
  });
});

describe("key casing", () => {
  it.each([
    ["AvIsSignatureUpToDate", "AvIsEngineUpToDate", "AvIsPlatformUpToDate"],
    ["avissignatureuptodate", "AVISENGINEUPTODATE", "AvIsPlatformUptoDate"],
  ])("file flags spelled %s / %s / %s are read", (sig, eng, plat) => {
    const info: Record<string, unknown> = { AvIsSignatureUptoDate: undefined, AvIsEngineUptodate: undefined, AvIsPlatformUptodate: undefined };
    info[sig] = false;
    info[eng] = true;
    info[plat] = "True";
    const record = fileRecord({ info });
    const inner = JSON.parse(record.DeviceGatheredInfo as string) as Record<string, unknown>;
    expect(Object.keys(inner)).toEqual(expect.arrayContaining([sig, eng, plat]));
    const device = normalizeFileRecord(record, { location: at });
    expect([device.avIsSignatureUpToDate, device.avIsEngineUpToDate, device.avIsPlatformUpToDate]).toEqual([false, true, true]);
  });

  it("reads lower-case top-level and scan keys and camelCase JSON keys in other casing", () => {
    const file = fileRecord();
    const lowered = Object.fromEntries(Object.entries(file).map(([k, v]) => [k.toLowerCase(), v]));
    expect(normalizeFileRecord(lowered, { location: at })).toEqual(EXPECTED);
    const json = Object.fromEntries(Object.entries(jsonRecord()).map(([k, v]) => [k.toUpperCase(), v]));
    expect(normalizeJsonRecord(json, { location: at })).toEqual(EXPECTED);
  });

  it("lets a top-level key win over the same key inside DeviceGatheredInfo", () => {
    const device = normalizeFileRecord(fileRecord({ top: { AvMode: "4" } }), { location: at });
    expect(device.avMode).toBe("edrBlocked");
  });
});

describe("identity and bad records", () => {
  it("falls back to id when machineId is missing or empty", () => {
    expect(normalizeJsonRecord(jsonRecord({ machineId: undefined, id: "abc" }), { location: at }).machineId).toBe("abc");
    expect(normalizeJsonRecord(jsonRecord({ machineId: "", id: "abc" }), { location: at }).machineId).toBe("abc");
  });

  it.each([
    ["json", () => normalizeJsonRecord(jsonRecord({ machineId: "", id: null }), { location: at }), "missing-id"],
    ["files", () => normalizeFileRecord(fileRecord({ top: { DeviceId: "" } }), { location: at }), "missing-id"],
    ["files", () => normalizeFileRecord(fileRecord({ top: { DeviceGatheredInfo: "{not json" } }), { location: at }), "bad-nested-json"],
    ["files", () => normalizeFileRecord(fileRecord({ info: { AvScanResults: "[1," } }), { location: at }), "bad-nested-json"],
    ["json", () => normalizeJsonRecord([1, 2], { location: at }), "not-an-object"],
    ["files", () => normalizeFileRecord("text", { location: at }), "not-an-object"],
  ])("%s record is a RECORD_INVALID error located at part and line (%#)", (_shape, run, reason) => {
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(isAvHealthError(thrown, "RECORD_INVALID")).toBe(true);
    if (!isAvHealthError(thrown)) return;
    expect(thrown.details).toEqual({ source: "part 2 of 5", line: 17, reason });
    expect(thrown.message).toContain("part 2 of 5, line 17");
  });

  it("ignores unknown extra fields", () => {
    const device = normalizeJsonRecord(jsonRecord({ somethingNew: { deep: 1 }, "@odata.etag": "x" }), { location: at });
    expect(device).toEqual(EXPECTED);
  });

  it("turns unreadable values into null and reports each one as a located warning", () => {
    const warnings: NormalizeWarning[] = [];
    const device = normalizeJsonRecord(
      jsonRecord({ lastSeenTime: "yesterday", quickScanTime: "2024-13-45T99:00:00Z", avIsEngineUpToDate: "maybe", rbacGroupId: 1.5, osVersion: { v: 1 } }),
      { location: at, onWarning: (w) => warnings.push(w) },
    );
    expect([device.lastSeenTime, device.quickScanTime, device.avIsEngineUpToDate, device.rbacGroupId, device.osVersion]).toEqual([null, null, null, null, null]);
    expect(warnings.map((w) => w.field).sort()).toEqual(["avIsEngineUpToDate", "lastSeenTime", "osVersion", "quickScanTime", "rbacGroupId"]);
    expect(warnings[0]?.location).toEqual(at);
  });

  it("gives a device without any AV data every AV field null and avMode other", () => {
    const device = normalizeFileRecord(fileRecord({ top: { DeviceGatheredInfo: null } }), { location: at });
    expect(device.avMode).toBe("other");
    expect([device.avSignatureVersion, device.avIsSignatureUpToDate, device.quickScanResult, device.fullScanTime]).toEqual([null, null, null, null]);
    expect(device.lastSeenTime).toBe(EXPECTED.lastSeenTime);
  });
});
