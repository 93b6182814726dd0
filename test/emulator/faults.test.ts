import { gunzipSync } from "node:zlib";
import { parseFaultSpec } from "../../src/emulator";
import { createFaultPlan } from "../../src/emulator/faults";
import { isAvHealthError } from "../../src/errors";
import { accessToken, apiGet, errorCode, gunzipLines, harness, http, requestExport, tokenFor, type Harness } from "./helpers";

describe("fault spec", () => {
  it("parses @N and %P entries", () => {
    expect(parseFaultSpec("blob:truncate@2, deviceavinfo:429%12.5").map(({ route, fault, nth, percent }) => ({ route, fault, nth, percent }))).toEqual([
      { route: "blob", fault: "truncate", nth: 2, percent: undefined },
      { route: "deviceavinfo", fault: "429", nth: undefined, percent: 12.5 },
    ]);
    expect(parseFaultSpec(undefined)).toEqual([]);
  });

  it("knows trickle on blobs and cycle on deviceavinfo", () => {
    expect(parseFaultSpec("blob:trickle@1,deviceavinfo:cycle%100").map(({ route, fault }) => `${route}:${fault}`)).toEqual(["blob:trickle", "deviceavinfo:cycle"]);
  });

  it.each(["blob", "blob:truncate", "disk:500@1", "blob:boom@1", "blob:500@0", "blob:500%101", "token:truncate@1", "deviceavinfo:empty@1", "blob:dup@1", "deviceavinfo:trickle@1", "blob:cycle@1"])(
    "rejects %s with CONFIG_INVALID",
    (spec) => {
      let caught: unknown;
      try {
        parseFaultSpec(spec);
      } catch (error) {
        caught = error;
      }
      expect(isAvHealthError(caught, "CONFIG_INVALID")).toBe(true);
    },
  );

  it("hits the same requests for the same seed and spec, about P percent of them", () => {
    const hits = (seed: string): number[] => {
      const plan = createFaultPlan("deviceavinfo:503%20", seed);
      return Array.from({ length: 1000 }, (_, i) => i + 1).filter((n) => plan.faultsFor("deviceavinfo", n).length > 0);
    };
    const a = hits("s1");
    expect(hits("s1")).toEqual(a);
    expect(hits("s2")).not.toEqual(a);
    expect(a.length).toBeGreaterThan(150);
    expect(a.length).toBeLessThan(250);
    expect(createFaultPlan("deviceavinfo:503%20", "s1").faultsFor("blob", a[0] ?? 1)).toEqual([]);
  });
});

describe("faults over HTTP", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({
      devices: 30,
      rateLimit: "off",
      slowMs: 400,
      faults: [
        "token:500@1,token:429@2",
        "deviceavinfo:429@1,deviceavinfo:500@2,deviceavinfo:502@3,deviceavinfo:503@4,deviceavinfo:reset@5,deviceavinfo:slow@6",
        "export:expire@1,export:empty@2,export:dup@3",
        "blob:truncate@2,blob:corrupt@3,blob:reset@4,blob:expire@5",
      ].join(","),
    });
  });
  afterAll(() => h.close());

  it("token: 500 then 429 with Retry-After, in Entra's error shape, then a token", async () => {
    const first = await tokenFor(h);
    const second = await tokenFor(h);
    expect([first.status, (first.json() as { error: string }).error]).toEqual([500, "server_error"]);
    expect([second.status, second.headers["retry-after"]]).toEqual([429, "1"]);
    token = await accessToken(h);
    expect(h.emulator.requestCounts().token).toBe(3);
  });

  it("deviceavinfo: 429, 500, bare 502, 503, then a reset connection, then a slow success", async () => {
    const r429 = await apiGet(h, "/api/deviceavinfo", token);
    expect([r429.status, errorCode(r429), r429.headers["retry-after"]]).toEqual([429, "TooManyRequests", "1"]);
    const r500 = await apiGet(h, "/api/deviceavinfo", token);
    expect([r500.status, errorCode(r500)]).toEqual([500, "InternalServerError"]);
    const r502 = await apiGet(h, "/api/deviceavinfo", token);
    expect([r502.status, r502.text, r502.headers["retry-after"]]).toEqual([502, "", undefined]);
    const r503 = await apiGet(h, "/api/deviceavinfo", token);
    expect([r503.status, errorCode(r503)]).toEqual([503, "ServiceUnavailable"]);
    await expect(apiGet(h, "/api/deviceavinfo", token)).rejects.toThrow();
    const started = Date.now();
    const slow = await apiGet(h, "/api/deviceavinfo", token);
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect((await apiGet(h, "/api/deviceavinfo", token)).status).toBe(200);
  });

  it("export expire: every URL in that response has already expired", async () => {
    const { exportFiles } = await requestExport(h, token);
    for (const file of exportFiles) expect(Date.parse(new URL(file).searchParams.get("se") ?? "")).toBeLessThan(Date.now() + 1);
    const reply = await http(h, exportFiles[0] ?? "");
    expect([reply.status, errorCode(reply)]).toEqual([403, "AuthenticationFailed"]);
    expect(h.emulator.requestCounts().blob).toBe(1);
  });

  async function allLines(files: string[]): Promise<string[][]> {
    const out: string[][] = [];
    for (const file of files) {
      const reply = await http(h, file);
      expect(reply.status).toBe(200);
      out.push(gunzipLines(reply.body));
    }
    return out;
  }

  it("blob truncate, corrupt, reset and expire change one download each; export empty adds a part with no records", async () => {
    const { exportFiles } = await requestExport(h, token);
    const part = exportFiles[0] ?? "";
    const truncated = await http(h, part);
    expect([truncated.status, Number(truncated.headers["content-length"])]).toEqual([200, truncated.body.length]);
    expect(() => gunzipSync(truncated.body)).toThrow(/unexpected end of file/);
    const corrupt = await http(h, part);
    const lines = gunzipLines(corrupt.body);
    expect(() => JSON.parse(lines[0] ?? "")).toThrow(SyntaxError);
    expect(lines.slice(1).map((l) => typeof JSON.parse(l))).toEqual(lines.slice(1).map(() => "object"));
    await expect(http(h, part)).rejects.toThrow();
    const expired = await http(h, part);
    expect([expired.status, errorCode(expired)]).toEqual([403, "AuthenticationFailed"]);
    expect(h.emulator.requestCounts().blob).toBe(5);

    const parts = await allLines(exportFiles);
    expect(parts[0]).toHaveLength(lines.length);
    expect(parts.at(-1)).toEqual([]);
    expect(parts.flat()).toHaveLength(30);
  });

  it("export dup adds a part repeating a device another part holds", async () => {
    const { exportFiles } = await requestExport(h, token);
    const parts = await allLines(exportFiles);
    const ids = parts.flat().map((l) => (JSON.parse(l) as { DeviceId: string }).DeviceId);
    expect(ids).toHaveLength(31);
    expect(new Set(ids).size).toBe(30);
    expect(parts.at(-1)).toHaveLength(1);
    const plain = await requestExport(h, token);
    expect(plain.exportFiles).toHaveLength(exportFiles.length - 1);
  });
});
