import { MockAgent } from "undici";
import { ErrorCodes } from "../../src/errors";
import { createApiClient } from "../../src/http/client";
import type { ApiClient, ProgressEvent } from "../../src/http/types";
import { failure } from "../helpers/errors";

const API = "https://api.securitycenter.microsoft.com";
const BLOB = "https://tvmexport.blob.core.windows.net";
const SAS = "sv=2020-08-04&se=2030-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=TOPSECRETSIG";

interface Harness {
  agent: MockAgent;
  client: ApiClient;
  tokens: boolean[];
  sleeps: number[];
  events: ProgressEvent[];
}

function harness(): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const tokens: boolean[] = [];
  const sleeps: number[] = [];
  const events: ProgressEvent[] = [];
  const client = createApiClient({
    connection: { apiUrl: API },
    tokenProvider: {
      getToken: async (opts) => {
        tokens.push(Boolean(opts?.forceRefresh));
        return opts?.forceRefresh ? "fresh-token" : "cached-token";
      },
    },
    dispatcher: agent,
    budget: "off",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onProgress: (e) => events.push(e),
  });
  return { agent, client, tokens, sleeps, events };
}


const path = (p: string) => (actual: string) => actual.startsWith(p);
const json = { headers: { "content-type": "application/json" } };

describe("getJson", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(async () => {
    await h.client.close();
  });

  it("sends the Bearer token and parses the JSON body", async () => {
    let auth: unknown;
    h.agent
      .get(API)
      .intercept({ path: "/api/deviceavinfo?$top=10000", method: "GET" })
      .reply((req) => {
        auth = (req.headers as Record<string, string>).authorization;
        return { statusCode: 200, data: { value: [{ machineId: "m1" }] }, responseOptions: { headers: { "x-request-id": "rid-1" } } };
      });
    const res = await h.client.getJson("/api/deviceavinfo?$top=10000", "deviceavinfo");
    expect(auth).toBe("Bearer cached-token");
    expect(res).toEqual({ status: 200, body: { value: [{ machineId: "m1" }] }, requestId: "rid-1" });
  });

  it("on 401 retries once with a forced fresh token", async () => {
    const seen: string[] = [];
    h.agent
      .get(API)
      .intercept({ path: path("/api/deviceavinfo"), method: "GET" })
      .reply<object>((req) => {
        const auth = (req.headers as Record<string, string>).authorization ?? "";
        seen.push(auth);
        return auth === "Bearer fresh-token" ? { statusCode: 200, data: { value: [] } } : { statusCode: 401, data: { error: { code: "Unauthorized", message: "expired" } } };
      })
      .times(2);
    const res = await h.client.getJson("/api/deviceavinfo", "deviceavinfo");
    expect(res.body).toEqual({ value: [] });
    expect(seen).toEqual(["Bearer cached-token", "Bearer fresh-token"]);
    expect(h.tokens).toEqual([false, true]);
    expect(h.sleeps).toEqual([]);
  });

  it("a second 401 with a fresh token is AUTH_FAILED", async () => {
    h.agent.get(API).intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(401, { error: { code: "Unauthorized", message: "bad audience" } }, json).times(2);
    const error = await failure(h.client.getJson("/api/deviceavinfo", "deviceavinfo"));
    expect([error.code, error.details.status]).toEqual([ErrorCodes.AUTH_FAILED, 401]);
    expect(h.tokens).toEqual([false, true]);
  });

  it.each<["deviceavinfo" | "export", string]>([
    ["deviceavinfo", "Machine.Read.All"],
    ["export", "Vulnerability.Read.All"],
  ])("403 on %s → AUTH_FORBIDDEN naming %s, status 403 in details, no retry", async (route, permission) => {
    const p = route === "export" ? "/api/machines/InfoGatheringExport" : "/api/deviceavinfo";
    h.agent.get(API).intercept({ path: p, method: "GET" }).reply(403, { error: { code: "Forbidden", message: "Missing role", target: "req-403" } }, json);
    const error = await failure(h.client.getJson(p, route));
    expect(error.code).toBe(ErrorCodes.AUTH_FORBIDDEN);
    expect(error.details).toMatchObject({ status: 403, permission, requestId: "req-403", apiCode: "Forbidden" });
    expect(error.message).toContain(permission);
    expect(h.sleeps).toEqual([]);
  });

  it("404 → HTTP_UNEXPECTED_STATUS with status 404", async () => {
    h.agent.get(API).intercept({ path: "/api/machines/InfoGatheringExport", method: "GET" }).reply(404, { error: { code: "NotFound", message: "nope" } }, json);
    const error = await failure(h.client.getJson("/api/machines/InfoGatheringExport", "export"));
    expect([error.code, error.details.status, error.details.apiCode]).toEqual([ErrorCodes.HTTP_UNEXPECTED_STATUS, 404, "NotFound"]);
  });

  it("400 ODataError → HTTP_UNEXPECTED_STATUS carrying the API code, message and request id", async () => {
    h.agent
      .get(API)
      .intercept({ path: path("/api/deviceavinfo"), method: "GET" })
      .reply(400, { error: { code: "ODataError", message: "Invalid filter clause", target: "rid-400" } }, json);
    const error = await failure(h.client.getJson("/api/deviceavinfo?$filter=bogus", "deviceavinfo"));
    expect(error.code).toBe(ErrorCodes.HTTP_UNEXPECTED_STATUS);
    expect(error.details).toMatchObject({ status: 400, apiCode: "ODataError", requestId: "rid-400" });
    expect(error.message).toContain("ODataError: Invalid filter clause (request id rid-400)");
  });

  it("429 honours Retry-After, then succeeds", async () => {
    const pool = h.agent.get(API);
    pool.intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(429, { error: { code: "TooManyRequests" } }, { headers: { "retry-after": "12" } });
    pool.intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(200, { value: [1] });
    const res = await h.client.getJson("/api/deviceavinfo", "deviceavinfo");
    expect(res.body).toEqual({ value: [1] });
    expect(h.sleeps).toEqual([12_000]);
    expect(h.events).toEqual([{ kind: "retry", route: "deviceavinfo", attempt: 1, reason: "HTTP 429", waitMs: 12_000 }]);
  });

  it("bodiless 502 and a connection reset are retried with backoff", async () => {
    const pool = h.agent.get(API);
    pool.intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(502, "");
    pool.intercept({ path: path("/api/deviceavinfo"), method: "GET" }).replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    pool.intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(200, { value: [] });
    const res = await h.client.getJson("/api/deviceavinfo", "deviceavinfo");
    expect(res.status).toBe(200);
    expect(h.sleeps).toEqual([375, 750]);
    expect(h.events.map((e) => (e.kind === "retry" ? e.reason : e.kind))).toEqual(["HTTP 502", "ECONNRESET"]);
  });

  it("persistent 503 → HTTP_RETRIES_EXHAUSTED after maxAttempts", async () => {
    h.agent.get(API).intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(503, "").times(6);
    const error = await failure(h.client.getJson("/api/deviceavinfo", "deviceavinfo"));
    expect([error.code, error.details.status, error.details.attempts]).toEqual([ErrorCodes.HTTP_RETRIES_EXHAUSTED, 503, 6]);
    expect(h.sleeps).toHaveLength(5);
  });

  it("a 200 that is not JSON → API_BAD_RESPONSE", async () => {
    h.agent.get(API).intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(200, "<html>login page</html>");
    expect((await failure(h.client.getJson("/api/deviceavinfo", "deviceavinfo"))).code).toBe(ErrorCodes.API_BAD_RESPONSE);
  });

  it("refuses a page over 64 MiB as API_BAD_RESPONSE, once, without retrying", async () => {
    // Valid JSON, so only its size is wrong: 64 MiB of padding in a page of no devices.
    const huge = `{"value":[],"pad":"${"a".repeat(64 * 1024 * 1024)}"}`;
    h.agent.get(API).intercept({ path: path("/api/deviceavinfo"), method: "GET" }).reply(200, huge, json);
    const error = await failure(h.client.getJson("/api/deviceavinfo", "deviceavinfo"));
    expect([error.code, error.details.reason, error.details.limitBytes]).toEqual([ErrorCodes.API_BAD_RESPONSE, "too-large", 64 * 1024 * 1024]);
    expect(error.message).toContain("larger than 64 MiB");
    expect(h.sleeps).toEqual([]);
  });

  it("reads an error body only up to 64 KiB: what lies past that is never looked at", async () => {
    const body = `${" ".repeat(64 * 1024)}{"error":{"code":"NotFound","message":"beyond the cap"}}`;
    h.agent.get(API).intercept({ path: "/api/machines/InfoGatheringExport", method: "GET" }).reply(404, body, json);
    const error = await failure(h.client.getJson("/api/machines/InfoGatheringExport", "export"));
    expect([error.code, error.details.status, error.details.apiCode]).toEqual([ErrorCodes.HTTP_UNEXPECTED_STATUS, 404, null]);
    expect(error.message).not.toContain("beyond the cap");
  });

  it("follows an absolute nextLink on the API origin", async () => {
    h.agent.get(API).intercept({ path: "/api/deviceavinfo?$skip=10000", method: "GET" }).reply(200, { value: [] });
    await expect(h.client.getJson(`${API}/api/deviceavinfo?$skip=10000`, "deviceavinfo")).resolves.toMatchObject({ status: 200 });
  });

  it.each([["https://evil.example.com/api/deviceavinfo?$skip=1"], ["http://api.securitycenter.microsoft.com/api/deviceavinfo"], ["https://api.securitycenter.microsoft.com:8443/x"]])(
    "refuses a nextLink off the API origin (%s) without sending anything",
    async (link) => {
      const error = await failure(h.client.getJson(link, "deviceavinfo"));
      expect([error.code, error.details.reason]).toEqual([ErrorCodes.API_BAD_RESPONSE, "foreign-origin"]);
      expect(h.tokens).toEqual([]);
    },
  );
});

describe("getBlob", () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(async () => {
    await h.client.close();
  });

  it("downloads without an Authorization header and returns the raw stream", async () => {
    let headers: Record<string, string> = {};
    h.agent
      .get(BLOB)
      .intercept({ path: path("/temp-1/part-00000.json.gz"), method: "GET" })
      .reply((req) => {
        headers = req.headers as Record<string, string>;
        return { statusCode: 200, data: Buffer.from([0x1f, 0x8b, 1, 2, 3]) };
      });
    const stream = await h.client.getBlob(`${BLOB}/temp-1/part-00000.json.gz?${SAS}`);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(Object.keys(headers).map((k) => k.toLowerCase())).not.toContain("authorization");
    expect(h.tokens).toEqual([]);
  });

  it("retries 500, 429 and resets before the body starts", async () => {
    const pool = h.agent.get(BLOB);
    pool.intercept({ path: path("/p"), method: "GET" }).reply(500, "");
    pool.intercept({ path: path("/p"), method: "GET" }).reply(429, "", { headers: { "retry-after": "1" } });
    pool.intercept({ path: path("/p"), method: "GET" }).replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
    pool.intercept({ path: path("/p"), method: "GET" }).reply(200, "ok");
    const stream = await h.client.getBlob(`${BLOB}/p?${SAS}`);
    stream.resume();
    expect(h.sleeps).toEqual([375, 1000, 1500]);
    expect(h.events.every((e) => e.kind === "retry" && e.route === "blob")).toBe(true);
  });

  it.each([
    ["Azure Storage XML", '<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code><Message>Signature not valid in the specified time frame</Message></Error>', {}],
    ["JSON error", JSON.stringify({ error: { code: "AuthenticationFailed", message: "expired" } }), {}],
    ["x-ms-error-code header", "", { "x-ms-error-code": "AuthenticationFailed" }],
  ])("403 AuthenticationFailed (%s) → EXPORT_SAS_EXPIRED, SAS never in the message", async (_name, body, headers) => {
    h.agent.get(BLOB).intercept({ path: path("/p"), method: "GET" }).reply(403, body, { headers });
    const error = await failure(h.client.getBlob(`${BLOB}/p?${SAS}`));
    expect(error.code).toBe(ErrorCodes.EXPORT_SAS_EXPIRED);
    expect(`${error.message} ${error.stack ?? ""}`).not.toContain("TOPSECRETSIG");
    expect(h.sleeps).toEqual([]);
  });

  it("an exhausted or failed blob download never prints the SAS signature", async () => {
    h.agent.get(BLOB).intercept({ path: path("/p"), method: "GET" }).replyWithError(Object.assign(new Error(`boom at /p?${SAS}`), { code: "ECONNRESET" })).times(6);
    const error = await failure(h.client.getBlob(`${BLOB}/p?${SAS}`));
    expect(error.code).toBe(ErrorCodes.HTTP_RETRIES_EXHAUSTED);
    const everything = JSON.stringify({ m: error.message, s: error.stack, c: String(error.cause), cc: String((error.cause as Error).cause), d: error.details });
    expect(everything).not.toContain("TOPSECRETSIG");
  });

  it.each([["http://tvmexport.blob.core.windows.net/p?sig=x"], ["ftp://tvmexport.blob.core.windows.net/p"]])("refuses a non-https blob URL %s", async (url) => {
    expect((await failure(h.client.getBlob(url))).code).toBe(ErrorCodes.INSECURE_URL);
  });

  it("accepts http on loopback (the local emulator)", async () => {
    h.agent.get("http://127.0.0.1:9999").intercept({ path: "/p", method: "GET" }).reply(200, "x");
    const stream = await h.client.getBlob("http://127.0.0.1:9999/p");
    stream.resume();
  });
});
