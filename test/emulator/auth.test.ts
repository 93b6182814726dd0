import { createPrivateKey, generateKeyPairSync, sign, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from "@azure/msal-node";
import { request } from "undici";
import { accessToken, apiGet, errorCode, harness, http, SCOPE, tokenFor, type Harness } from "./helpers";

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** MSAL's HTTP through undici with the emulator's CA, as the project's auth layer does. */
function msalNetwork(h: Harness): INetworkModule {
  const send = async <T>(url: string, method: "GET" | "POST", headers?: Record<string, string>, body?: string): Promise<NetworkResponse<T>> => {
    const res = await request(url, { method, headers, body, dispatcher: h.agent });
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") flat[k] = v;
    return { status: res.statusCode, headers: flat, body: (await res.body.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, "GET", options?.headers),
    sendPostRequestAsync: (url, options) => send(url, "POST", options?.headers, options?.body),
  };
}

function msalApp(h: Harness, credential: Record<string, unknown>): ConfidentialClientApplication {
  const host = new URL(h.emulator.authorityHost).host;
  return new ConfidentialClientApplication({
    auth: { clientId: h.emulator.clientId, authority: `${h.emulator.authorityHost}/${h.emulator.tenantId}`, knownAuthorities: [host], ...credential },
    system: { networkClient: msalNetwork(h) },
  });
}

/** A certificate assertion as MSAL builds one, but signed with any key, for the negative cases. */
function certificateAssertion(h: Harness, key: Parameters<typeof sign>[2], x5t: string): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const input = `${enc({ alg: "RS256", typ: "JWT", x5t })}.${enc({
    aud: `${h.emulator.authorityHost}/${h.emulator.tenantId}/oauth2/v2.0/token`,
    iss: h.emulator.clientId,
    sub: h.emulator.clientId,
    exp: now + 600,
    nbf: now,
    jti: "x",
  })}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

describe("Entra token endpoint", () => {
  let h: Harness;
  let certPem: string;
  beforeAll(async () => {
    h = await harness({ now: () => new Date() });
    certPem = readFileSync(h.emulator.clientCertificatePath, "utf8");
  });
  afterAll(() => h.close());

  it("issues an RS256 Defender token for the client secret", async () => {
    const reply = await tokenFor(h);
    expect(reply.status).toBe(200);
    const body = reply.json() as { token_type: string; expires_in: number; access_token: string };
    expect([body.token_type, body.expires_in]).toEqual(["Bearer", 3599]);
    const claims = claimsOf(body.access_token);
    expect(claims).toMatchObject({ aud: "https://api.securitycenter.microsoft.com", tid: h.emulator.tenantId, appid: h.emulator.clientId });
    expect(claims.roles).toEqual(["Machine.Read.All", "Vulnerability.Read.All"]);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it.each<[string, Record<string, string>, number, string, number]>([
    ["wrong secret", { client_secret: "not-the-secret" }, 401, "invalid_client", 7000215],
    ["wrong scope", { scope: "https://graph.microsoft.com/.default" }, 400, "invalid_scope", 1002012],
    ["unknown client", { client_id: "00000000-0000-0000-0000-000000000000" }, 400, "unauthorized_client", 700016],
    ["wrong grant", { grant_type: "password" }, 400, "unsupported_grant_type", 70003],
    ["garbage assertion", { client_secret: "", client_assertion: "a.b.c", client_assertion_type: ASSERTION_TYPE }, 401, "invalid_client", 50027],
    ["no credential", { client_secret: "" }, 401, "invalid_client", 7000218],
  ])("answers %s with an AADSTS body", async (_name, fields, status, error, code) => {
    const reply = await tokenFor(h, fields);
    const body = reply.json() as { error: string; error_description: string; error_codes: number[] };
    expect([reply.status, body.error, body.error_codes]).toEqual([status, error, [code]]);
    expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  });

  it("rejects a request for another tenant", async () => {
    const reply = await http(h, `${h.emulator.authorityHost}/11111111-1111-1111-1111-111111111111/oauth2/v2.0/token`, { method: "POST", body: "" });
    expect([reply.status, (reply.json() as { error_codes: number[] }).error_codes]).toEqual([400, [90002]]);
  });

  it("works with MSAL's client-secret flow", async () => {
    const result = await msalApp(h, { clientSecret: h.emulator.clientSecret }).acquireTokenByClientCredential({ scopes: [SCOPE] });
    expect(claimsOf(result?.accessToken ?? "").tid).toBe(h.emulator.tenantId);
  });

  it.each([["SHA-256 (PS256)", "thumbprintSha256"], ["SHA-1 (RS256)", "thumbprint"]])("works with MSAL's certificate flow, %s thumbprint", async (_n, kind) => {
    const cert = new X509Certificate(certPem);
    const thumb = (kind === "thumbprint" ? cert.fingerprint : cert.fingerprint256).replace(/:/g, "");
    const app = msalApp(h, { clientCertificate: { [kind]: thumb, privateKey: certPem } });
    const result = await app.acquireTokenByClientCredential({ scopes: [SCOPE] });
    expect(claimsOf(result?.accessToken ?? "").appidacr).toBe("2");
  });

  it("rejects a certificate assertion signed by another key", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const x5t = Buffer.from(new X509Certificate(certPem).fingerprint.replace(/:/g, ""), "hex").toString("base64url");
    const good = await tokenFor(h, { client_secret: "", client_assertion: certificateAssertion(h, createPrivateKey(certPem), x5t), client_assertion_type: ASSERTION_TYPE });
    const forged = await tokenFor(h, { client_secret: "", client_assertion: certificateAssertion(h, other, x5t), client_assertion_type: ASSERTION_TYPE });
    expect(good.status).toBe(200);
    expect([forged.status, (forged.json() as { error_codes: number[] }).error_codes]).toEqual([401, [700027]]);
  });

  it("accepts the federated token file as a client assertion (MSAL)", async () => {
    const file = h.emulator.federatedTokenFile;
    const app = msalApp(h, { clientAssertion: () => Promise.resolve(readFileSync(file, "utf8")) });
    const result = await app.acquireTokenByClientCredential({ scopes: [SCOPE] });
    expect(claimsOf(result?.accessToken ?? "").appid).toBe(h.emulator.clientId);
  });

  it("serves GitHub-style OIDC tokens that the token endpoint accepts only for api://AzureADTokenExchange", async () => {
    const auth = { authorization: `Bearer ${h.emulator.oidcRequestToken}` };
    const oidc = await http(h, `${h.emulator.oidcRequestUrl}&audience=api://AzureADTokenExchange`, { headers: auth });
    expect(oidc.status).toBe(200);
    const idToken = (oidc.json() as { value: string }).value;
    expect(claimsOf(idToken).aud).toBe("api://AzureADTokenExchange");
    const accepted = await tokenFor(h, { client_secret: "", client_assertion: idToken, client_assertion_type: ASSERTION_TYPE });
    expect(accepted.status).toBe(200);

    const wrongAudience = (await http(h, h.emulator.oidcRequestUrl, { headers: auth }).then((r) => r.json())) as { value: string };
    const rejected = await tokenFor(h, { client_secret: "", client_assertion: wrongAudience.value, client_assertion_type: ASSERTION_TYPE });
    expect([rejected.status, (rejected.json() as { error_codes: number[] }).error_codes]).toEqual([401, [700212]]);

    const tampered = `${idToken.slice(0, -4)}AAAA`;
    const bad = await tokenFor(h, { client_secret: "", client_assertion: tampered, client_assertion_type: ASSERTION_TYPE });
    expect([bad.status, (bad.json() as { error_codes: number[] }).error_codes]).toEqual([401, [700027]]);

    const noRequestToken = await http(h, `${h.emulator.oidcRequestUrl}&audience=api://AzureADTokenExchange`);
    expect(noRequestToken.status).toBe(401);
    expect(h.emulator.requestCounts().oidc).toBe(3);
  });
});

describe("Defender API authorization", () => {
  it("answers 401 Unauthorized for missing, malformed, foreign and expired tokens", async () => {
    let clock = new Date("2025-03-01T12:00:00Z");
    const h = await harness({ now: () => clock });
    const other = await harness();
    try {
      const token = await accessToken(h);
      const foreign = await accessToken(other);
      for (const bad of [undefined, "not-a-jwt", foreign, `${token.slice(0, -4)}AAAA`]) {
        const reply = await apiGet(h, "/api/deviceavinfo", bad);
        expect([reply.status, errorCode(reply)]).toEqual([401, "Unauthorized"]);
      }
      expect((await apiGet(h, "/api/deviceavinfo", token)).status).toBe(200);
      clock = new Date(clock.getTime() + 66 * 60 * 1000);
      const expired = await apiGet(h, "/api/deviceavinfo", token);
      expect([expired.status, errorCode(expired)]).toEqual([401, "Unauthorized"]);
    } finally {
      await other.close();
      await h.close();
    }
  });

  it.each([
    [["Machine.Read.All"], 200, 403],
    [["Vulnerability.Read.All"], 403, 200],
    [[], 403, 403],
  ])("with roles %j: deviceavinfo %i, export %i", async (roles, json, files) => {
    const h = await harness({ roles, devices: 3 });
    try {
      const token = await accessToken(h);
      const a = await apiGet(h, "/api/deviceavinfo", token);
      const b = await apiGet(h, "/api/machines/InfoGatheringExport", token);
      expect([a.status, b.status]).toEqual([json, files]);
      for (const reply of [a, b].filter((r) => r.status === 403)) expect(errorCode(reply)).toBe("Forbidden");
    } finally {
      await h.close();
    }
  });
});
