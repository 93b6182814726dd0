import { accessToken, apiGet, errorCode, gunzipLines, harness, http, requestExport, type Harness } from "./helpers";
import { fromFileLine, fromJson } from "./normalize";

const PART_PATH =
  /^\/\d{4}-\d{2}-\d{2}\/\d{4}\/InfoGatheringExport\/json\/OrgId=[0-9a-f-]{36}\/_RbacGroupId=\d+\/part-\d{5}-[0-9a-f-]{36}\.c000\.json\.gz$/;

async function download(h: Harness, url: string, headers: Record<string, string> = {}): Promise<string[]> {
  const reply = await http(h, url, { headers });
  if (reply.status !== 200) throw new Error(`${reply.status} ${reply.text}`);
  return gunzipLines(reply.body);
}

describe("InfoGatheringExport and blob downloads", () => {
  let clock = new Date("2025-03-01T12:00:00Z");
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({ devices: 60, parts: 2, now: () => clock, rateLimit: "off" });
    token = await accessToken(h);
  });
  afterAll(() => h.close());

  it("lists SAS URLs shaped like the real ones, per RBAC group and part", async () => {
    const reply = await apiGet(h, "/api/machines/InfoGatheringExport", token);
    expect(reply.status).toBe(200);
    const body = reply.json() as { "@odata.context": string; exportFiles: string[]; generatedTime: string };
    expect(body["@odata.context"]).toBe(`${h.emulator.apiUrl}/api/$metadata#microsoft.windowsDefenderATP.api.ExportFilesResponse`);
    expect(body.generatedTime).toBe("2025-03-01T12:00:00Z");
    const groups = new Map<string, number>();
    for (const file of body.exportFiles) {
      const url = new URL(file);
      expect(url.pathname).toMatch(PART_PATH);
      expect(url.pathname.startsWith("/2025-03-01/1200/")).toBe(true);
      expect([...url.searchParams.keys()]).toEqual(["sv", "st", "se", "sr", "sp", "sig"]);
      expect(Date.parse(url.searchParams.get("se") ?? "") - Date.parse(url.searchParams.get("st") ?? "")).toBe(3 * 3600 * 1000);
      const group = /_RbacGroupId=(\d+)/.exec(url.pathname)?.[1] ?? "";
      groups.set(group, (groups.get(group) ?? 0) + 1);
    }
    expect(groups.size).toBeGreaterThanOrEqual(5);
    expect(Math.max(...groups.values())).toBe(2);
  });

  it("serves parts whose records are the JSON fleet's facts, each device once, in its group's folder", async () => {
    const { exportFiles } = await requestExport(h, token);
    const fromFiles: string[] = [];
    for (const file of exportFiles) {
      const group = Number(/_RbacGroupId=(\d+)/.exec(file)?.[1]);
      for (const line of await download(h, file)) {
        const record = JSON.parse(line) as Record<string, unknown>;
        expect(record.RbacGroupId).toBe(group);
        expect(typeof record.DeviceGatheredInfo).toBe("string");
        fromFiles.push(fromFileLine(line));
      }
    }
    const json = (JSON.parse((await apiGet(h, "/api/deviceavinfo?$top=10000", token)).text) as { value: Record<string, unknown>[] }).value;
    expect(fromFiles.sort()).toEqual(json.map(fromJson).sort());
  });

  it("reuses the same snapshot on repeated calls and honours sasValidHours", async () => {
    const a = await requestExport(h, token);
    const b = await requestExport(h, token, "?sasValidHours=6");
    expect(b.exportFiles.map((f) => new URL(f).pathname)).toEqual(a.exportFiles.map((f) => new URL(f).pathname));
    const url = new URL(b.exportFiles[0] ?? "");
    expect(Date.parse(url.searchParams.get("se") ?? "") - clock.getTime()).toBe(6 * 3600 * 1000);
    for (const bad of ["0", "25", "x"]) {
      const reply = await apiGet(h, `/api/machines/InfoGatheringExport?sasValidHours=${bad}`, token);
      expect([reply.status, errorCode(reply)]).toEqual([400, "InvalidInput"]);
    }
  });

  it("authorises blobs by the SAS alone: a Bearer header is ignored, a bad signature is 403", async () => {
    const { exportFiles } = await requestExport(h, token);
    const file = exportFiles[0] ?? "";
    expect((await download(h, file, { authorization: "Bearer whatever" })).length).toBeGreaterThan(0);
    const tampered = file.replace(/sig=[^&]+/, "sig=AAAA");
    const reply = await http(h, tampered);
    expect([reply.status, errorCode(reply), reply.headers["x-ms-error-code"]]).toEqual([403, "AuthenticationFailed", "AuthenticationFailed"]);
    const log = h.emulator.requests().filter((r) => r.route === "blob");
    expect(log.length).toBeGreaterThan(1);
    expect(log.filter((r) => !r.path.includes("sig=REDACTED") || r.path.includes(new URL(file).search.slice(-20)))).toEqual([]);
    expect(log.some((r) => r.hadAuthorization)).toBe(true);
  });

  it("answers 403 AuthenticationFailed once the SAS has expired", async () => {
    const { exportFiles } = await requestExport(h, token, "?sasValidHours=1");
    const file = exportFiles[0] ?? "";
    expect((await http(h, file)).status).toBe(200);
    clock = new Date(clock.getTime() + 61 * 60 * 1000);
    const reply = await http(h, file);
    expect([reply.status, errorCode(reply)]).toEqual([403, "AuthenticationFailed"]);
  });

  it("answers 404 BlobNotFound for an unknown part", async () => {
    const reply = await http(h, `${h.emulator.apiUrl}/2025-03-01/1200/InfoGatheringExport/json/OrgId=x/_RbacGroupId=1/part-00099-x.c000.json.gz?sig=x`);
    expect([reply.status, errorCode(reply)]).toEqual([404, "BlobNotFound"]);
  });

  it("reflects a changed fleet in the next export, in a new snapshot folder", async () => {
    const before = await requestExport(h, token);
    h.emulator.setFleet({ devices: 5, seed: "changed", parts: 1 });
    const after = await requestExport(h, token);
    expect(after.generatedTime).not.toBe(before.generatedTime);
    const lines: string[] = [];
    for (const file of after.exportFiles) lines.push(...(await download(h, file)));
    expect(lines).toHaveLength(5);
    const json = (JSON.parse((await apiGet(h, "/api/deviceavinfo?$top=100", token)).text) as { value: Record<string, unknown>[] }).value;
    expect(lines.map(fromFileLine).sort()).toEqual(json.map(fromJson).sort());
    // URLs handed out before the change still download until they expire.
    expect((await download(h, before.exportFiles[0] ?? "")).length).toBeGreaterThan(0);
  });
});

describe("export of an empty fleet", () => {
  it("lists no files", async () => {
    const h = await harness({ devices: 0 });
    try {
      const token = await accessToken(h);
      expect((await requestExport(h, token)).exportFiles).toEqual([]);
      expect((JSON.parse((await apiGet(h, "/api/deviceavinfo", token)).text) as { value: unknown[] }).value).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
