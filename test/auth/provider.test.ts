import { createHash, createPublicKey, verify, constants, X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTokenProvider } from "../../src/auth";
import { ErrorCodes } from "../../src/errors";
import { CLIENT, connectionFor, decodeJwtPart, mockTokenEndpoint, newAgent, selfSignedPem, tokenResponse, type TokenCall } from "./helpers";
import { failure } from "../helpers/errors";


const noSleep = async () => undefined;
const dir = mkdtempSync(join(tmpdir(), "avhealth-auth-"));

describe("client secret", () => {
  it("posts client credentials for the Defender scope, to the authority only, and caches the token", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { times: 2 });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: "unit-secret-1234" }), dispatcher: agent });
    expect(await provider.getToken()).toBe("token-1");
    expect(await provider.getToken()).toBe("token-1");
    expect(calls).toHaveLength(1);
    const form = calls[0]?.form;
    expect([form?.get("grant_type"), form?.get("client_id"), form?.get("client_secret"), form?.get("scope")?.split(" ")]).toEqual([
      "client_credentials",
      CLIENT,
      "unit-secret-1234",
      expect.arrayContaining(["https://api.securitycenter.microsoft.com/.default"]),
    ]);
    expect(await provider.getToken({ forceRefresh: true })).toBe("token-2");
    expect(calls).toHaveLength(2);
    // disableNetConnect + only the token route intercepted: any discovery request would have failed the flow.
    expect(agent.pendingInterceptors()).toEqual([]);
  });

  it("renews five minutes before expiry", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { times: 2 });
    let offset = 0;
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: "unit-secret-1234" }), dispatcher: agent, now: () => Date.now() + offset });
    await provider.getToken();
    offset = 53 * 60_000;
    expect(await provider.getToken()).toBe("token-1");
    offset = 56 * 60_000;
    expect(await provider.getToken()).toBe("token-2");
  });

  it("concurrent callers share one acquisition", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { times: 5 });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: "unit-secret-1234" }), dispatcher: agent });
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => provider.getToken()));
    expect(new Set(tokens)).toEqual(new Set(["token-1"]));
    expect(calls).toHaveLength(1);
  });

  it("a wrong secret → AUTH_FAILED with the AADSTS code, and the secret appears nowhere", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    const canary = "CANARY-unit-7f3a9d";
    mockTokenEndpoint(agent, calls, {
      answer: () => ({
        statusCode: 401,
        data: {
          error: "invalid_client",
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value (${canary}). Trace ID: x`,
          error_codes: [7000215],
        },
      }),
    });
    const output: string[] = [];
    const spies = (["log", "warn", "error", "info", "debug"] as const).map((m) => jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(" "))));
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => (output.push(String(chunk)), true));
    const { resolveConnection } = await import("../../src/config");
    const connection = resolveConnection({ env: { AZURE_TENANT_ID: connectionFor({ kind: "secret", clientSecret: "x" }).tenantId, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: canary } });
    const error = await failure(createTokenProvider({ connection, dispatcher: agent }).getToken());
    spies.forEach((s) => s.mockRestore());
    write.mockRestore();
    expect(error.code).toBe(ErrorCodes.AUTH_FAILED);
    expect(error.details.aadsts).toBe("AADSTS7000215");
    expect(error.message).toContain("AZURE_CLIENT_SECRET");
    const everything = [error.message, error.stack, String(error.cause), (error.cause as Error).stack, JSON.stringify(error.details), ...output].join("\n");
    expect(everything).not.toContain(canary);
  });

  it("a token response over 1 MiB → AUTH_FAILED (reason too-large), once, and the secret appears nowhere", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    const canary = "canary-Secret-3e81d7~not-for-logs";
    mockTokenEndpoint(agent, calls, { answer: () => ({ statusCode: 200, data: { ...tokenResponse("huge"), padding: "a".repeat(1024 * 1024) } }) });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: canary }), dispatcher: agent, sleep: noSleep });
    const error = await failure(provider.getToken());
    expect([error.code, error.details.reason]).toEqual([ErrorCodes.AUTH_FAILED, "too-large"]);
    expect(error.message).toContain("larger than 1 MiB");
    expect(calls).toHaveLength(1);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(canary);
  });

  it("token endpoint 500 then 200: retried inside the network module", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { times: 2, answer: (n) => (n === 1 ? { statusCode: 500, data: "" } : { statusCode: 200, data: tokenResponse("after-500") }) });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: "unit-secret-1234" }), dispatcher: agent, sleep: noSleep });
    expect(await provider.getToken()).toBe("after-500");
    expect(calls).toHaveLength(2);
  });

  it("token endpoint down → HTTP_RETRIES_EXHAUSTED, not MSAL's bare network_error", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { times: 3, answer: () => ({ statusCode: 503, data: "" }) });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: "unit-secret-1234" }), dispatcher: agent, sleep: noSleep, retry: { maxAttempts: 3 } });
    const error = await failure(provider.getToken());
    expect([error.code, error.details.status, calls.length]).toEqual([ErrorCodes.HTTP_RETRIES_EXHAUSTED, 503, 3]);
  });

  it("gov clouds: login.microsoftonline.us and the gov scope", async () => {
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { origin: "https://login.microsoftonline.us" });
    const connection = connectionFor(
      { kind: "secret", clientSecret: "unit-secret-1234" },
      { cloud: "gcc-high", authorityHost: "https://login.microsoftonline.us", scope: "https://api-gov.securitycenter.microsoft.us/.default" },
    );
    expect(await createTokenProvider({ connection, dispatcher: agent }).getToken()).toBe("token-1");
    expect(calls[0]?.form.get("scope")).toContain("https://api-gov.securitycenter.microsoft.us/.default");
  });
});

describe("client certificate", () => {
  it.each([["unencrypted", undefined], ["password-protected", "pem-pass-4321"]])("%s PEM: signs a PS256 assertion with x5t#S256 and x5c", async (_name, password) => {
    const { pem, certPem, publicKeyPem } = selfSignedPem(password);
    const path = join(dir, `cert-${password ?? "plain"}.pem`);
    writeFileSync(path, pem);
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls);
    const connection = connectionFor({ kind: "certificate", certificatePath: path, certificatePassword: password ?? null });
    expect(await createTokenProvider({ connection, dispatcher: agent }).getToken()).toBe("token-1");
    const form = calls[0]?.form;
    expect(form?.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(form?.get("client_secret")).toBeNull();
    const assertion = form?.get("client_assertion") ?? "";
    const header = decodeJwtPart(assertion, 0);
    const der = new X509Certificate(certPem).raw;
    expect(header).toMatchObject({ alg: "PS256", "x5t#S256": createHash("sha256").update(der).digest("base64url"), x5c: [der.toString("base64")] });
    expect(decodeJwtPart(assertion, 1)).toMatchObject({ iss: CLIENT, sub: CLIENT, aud: expect.stringContaining("/oauth2/v2.0/token") });
    const [h, p, s] = assertion.split(".");
    const ok = verify("sha256", Buffer.from(`${h}.${p}`), { key: createPublicKey(publicKeyPem), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(s ?? "", "base64url"));
    expect(ok).toBe(true);
  });

  it.each<[string, string | null, () => string]>([
    ["missing file", null, () => join(dir, "nope.pem")],
    ["wrong password", "wrong-pass-0000", () => {
      const path = join(dir, "enc.pem");
      writeFileSync(path, selfSignedPem("right-pass-1111").pem);
      return path;
    }],
    ["no private key", null, () => {
      const path = join(dir, "certonly.pem");
      writeFileSync(path, selfSignedPem().certPem);
      return path;
    }],
  ])("%s → AUTH_MISSING_CONFIG", async (_name, password, makePath) => {
    const agent = newAgent();
    const connection = connectionFor({ kind: "certificate", certificatePath: makePath(), certificatePassword: password });
    const error = await failure(createTokenProvider({ connection, dispatcher: agent }).getToken());
    expect(error.code).toBe(ErrorCodes.AUTH_MISSING_CONFIG);
    if (password) expect(error.message).not.toContain(password);
  });
});
