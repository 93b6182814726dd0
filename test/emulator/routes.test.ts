import { accessToken, apiGet, errorCode, harness, http, type Harness } from "./helpers";

describe("emulator routes", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({ devices: 25 });
    token = await accessToken(h);
  });
  afterAll(() => h.close());

  it("serves OpenID discovery on both paths with endpoints on its own host", async () => {
    for (const path of ["v2.0/.well-known/openid-configuration", ".well-known/openid-configuration"]) {
      const reply = await http(h, `${h.emulator.authorityHost}/${h.emulator.tenantId}/${path}`);
      expect(reply.status).toBe(200);
      const doc = reply.json() as Record<string, string>;
      for (const key of ["token_endpoint", "authorization_endpoint", "end_session_endpoint", "issuer", "jwks_uri"]) {
        expect(new URL(doc[key] ?? "").origin).toBe(h.emulator.authorityHost);
      }
      expect(doc.token_endpoint).toBe(`${h.emulator.authorityHost}/${h.emulator.tenantId}/oauth2/v2.0/token`);
    }
  });

  it("answers a page of deviceavinfo in the JSON-API shape", async () => {
    const reply = await apiGet(h, "/api/deviceavinfo?$top=3", token);
    expect(reply.status).toBe(200);
    const body = reply.json() as { "@odata.context": string; value: Record<string, unknown>[]; "@odata.nextLink"?: string };
    expect(body["@odata.context"]).toBe(`${h.emulator.apiUrl}/api/$metadata#DeviceAvInfo`);
    expect(body.value).toHaveLength(3);
    const first = body.value[0] ?? {};
    expect(Object.keys(first)).toHaveLength(30);
    expect(first.id).toBe(first.machineId);
    expect(first.machineId).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof first.avMode).toBe("string");
    expect(["True", "False", "Unknown"]).toContain(first.avIsSignatureUpToDate);
    expect(typeof first.rbacGroupId).toBe("number");
    expect(body["@odata.nextLink"]).toBe(`${h.emulator.apiUrl}/api/deviceavinfo?$top=3&$skip=3`);
  });

  it("accepts /api/v1.0 and any path case", async () => {
    for (const path of ["/api/v1.0/deviceavinfo?$top=1", "/API/DeviceAvInfo?$top=1", "/api/deviceAvInfo?$top=1"]) {
      const reply = await apiGet(h, path, token);
      expect([path, reply.status]).toEqual([path, 200]);
    }
  });

  it("answers an unknown path with 404 ResourceNotFound and the request id as target", async () => {
    const reply = await apiGet(h, "/api/machines", token);
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe("ResourceNotFound");
    expect((reply.json() as { error: { target: string } }).error.target).toBe(reply.headers["request-id"]);
  });

  it("counts requests per route and logs whether they carried Authorization", async () => {
    const before = h.emulator.requestCounts().deviceavinfo;
    await apiGet(h, "/api/deviceavinfo?$top=1");
    expect(h.emulator.requestCounts().deviceavinfo).toBe(before + 1);
    const last = h.emulator.requests().at(-1);
    expect(last).toEqual({ route: "deviceavinfo", method: "GET", path: "/api/deviceavinfo?$top=1", status: 401, hadAuthorization: false });
  });
});
