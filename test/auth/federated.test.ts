import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTokenProvider } from "../../src/auth";
import { createMsalNetworkModule } from "../../src/auth/network";
import { ErrorCodes } from "../../src/errors";
import { connectionFor, mockTokenEndpoint, newAgent, type TokenCall } from "./helpers";
import { failure } from "../helpers/errors";


const dir = mkdtempSync(join(tmpdir(), "avhealth-fed-"));
const JWT_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

describe("federated token file", () => {
  it("sends the file's token as the client assertion, re-reading the file at each acquisition", async () => {
    const file = join(dir, "token");
    writeFileSync(file, "workload-jwt-one\n");
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls, { times: 2 });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "federated-file", tokenFile: file }), dispatcher: agent });
    expect(await provider.getToken()).toBe("token-1");
    writeFileSync(file, "workload-jwt-two");
    expect(await provider.getToken({ forceRefresh: true })).toBe("token-2");
    expect(calls.map((c) => [c.form.get("client_assertion"), c.form.get("client_assertion_type")])).toEqual([
      ["workload-jwt-one", JWT_TYPE],
      ["workload-jwt-two", JWT_TYPE],
    ]);
  });

  it.each<[string, (file: string) => void]>([
    ["missing", (file) => rmSync(file, { force: true })],
    ["empty", (file) => writeFileSync(file, "  \n")],
  ])("%s file → AUTH_MISSING_CONFIG naming AZURE_FEDERATED_TOKEN_FILE, nothing sent", async (_name, prepare) => {
    const file = join(dir, `bad-${_name}`);
    prepare(file);
    const agent = newAgent();
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls);
    const error = await failure(createTokenProvider({ connection: connectionFor({ kind: "federated-file", tokenFile: file }), dispatcher: agent }).getToken());
    expect([error.code, error.details.setting, calls.length]).toEqual([ErrorCodes.AUTH_MISSING_CONFIG, "AZURE_FEDERATED_TOKEN_FILE", 0]);
  });
});

describe("GitHub Actions OIDC", () => {
  const GH = "https://pipelines.actions.example";
  const credential = { kind: "github-oidc" as const, requestUrl: `${GH}/idtoken/abc?api-version=2.0`, requestToken: "gh-request-token-77" };

  it("requests the ID token for api://AzureADTokenExchange and uses its value as the assertion", async () => {
    const agent = newAgent();
    const seen: { path: string; auth: string }[] = [];
    agent
      .get(GH)
      .intercept({ path: (p: string) => p.startsWith("/idtoken/abc"), method: "GET" })
      .reply((req) => {
        seen.push({ path: req.path, auth: (req.headers as Record<string, string>).authorization ?? "" });
        return { statusCode: 200, data: { count: 1, value: "github-oidc-jwt" } };
      });
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls);
    expect(await createTokenProvider({ connection: connectionFor(credential), dispatcher: agent }).getToken()).toBe("token-1");
    const url = new URL(`${GH}${seen[0]?.path ?? ""}`);
    expect([url.searchParams.get("api-version"), url.searchParams.get("audience"), seen[0]?.auth]).toEqual(["2.0", "api://AzureADTokenExchange", "Bearer gh-request-token-77"]);
    expect(calls[0]?.form.get("client_assertion")).toBe("github-oidc-jwt");
  });

  it("a refused ID-token request → AUTH_FAILED telling to grant id-token: write, without the request token", async () => {
    const agent = newAgent();
    agent.get(GH).intercept({ path: (p: string) => p.startsWith("/idtoken/abc"), method: "GET" }).reply(401, { message: "Bad credentials" });
    const calls: TokenCall[] = [];
    mockTokenEndpoint(agent, calls);
    const error = await failure(createTokenProvider({ connection: connectionFor(credential), dispatcher: agent }).getToken());
    expect([error.code, error.details.status, calls.length]).toEqual([ErrorCodes.AUTH_FAILED, 401, 0]);
    expect(error.message).toContain("id-token: write");
    expect(`${error.message}${error.stack ?? ""}`).not.toContain("gh-request-token-77");
  });
});

describe("MSAL network module", () => {
  it("blocks any host but the authority", async () => {
    const agent = newAgent();
    const network = createMsalNetworkModule({ dispatcher: agent, allowedOrigin: "https://127.0.0.1:8443" });
    const error = await failure(network.sendGetRequestAsync("https://login.microsoftonline.com/common/discovery/instance?api-version=1.1"));
    expect([error.code, error.details.reason]).toEqual([ErrorCodes.HTTP_NETWORK, "foreign-host"]);
    expect(network.takeLastFailure()).toBe(error);
    expect(network.takeLastFailure()).toBeUndefined();
  });

  it("returns lower-cased headers and the parsed body for non-retryable statuses", async () => {
    const agent = newAgent();
    agent.get("https://127.0.0.1:8443").intercept({ path: "/t/oauth2/v2.0/token", method: "POST" }).reply(400, { error: "invalid_request" }, { headers: { "X-Ms-Request-Id": "r1" } });
    const network = createMsalNetworkModule({ dispatcher: agent, allowedOrigin: "https://127.0.0.1:8443" });
    const res = await network.sendPostRequestAsync<{ error: string }>("https://127.0.0.1:8443/t/oauth2/v2.0/token", { body: "a=b" });
    expect([res.status, res.body.error, res.headers["x-ms-request-id"]]).toEqual([400, "invalid_request", "r1"]);
  });
});
