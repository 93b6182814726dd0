import { isAvHealthError, ErrorCodes, type ErrorCode } from "../../src/errors";
import { resolveConnection, hasTenantConfig, describeConnection, type Env } from "../../src/config";
import { redact } from "../../src/util/redact";

const BASE: Env = { AZURE_TENANT_ID: "11111111-1111-1111-1111-111111111111", AZURE_CLIENT_ID: "22222222-2222-2222-2222-222222222222" };

function codeOf(fn: () => unknown): { code: ErrorCode; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (isAvHealthError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error("expected an AvHealthError");
}

describe("resolveConnection: credential kind", () => {
  it.each<[string, Env, string]>([
    ["secret", { AZURE_CLIENT_SECRET: "s3cret-value" }, "secret"],
    ["certificate", { AZURE_CLIENT_CERTIFICATE_PATH: "/tmp/c.pem" }, "certificate"],
    ["federated file", { AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" }, "federated-file"],
    ["github oidc", { ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/x?a=1", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token-123" }, "github-oidc"],
    ["secret beats certificate", { AZURE_CLIENT_SECRET: "s3cret-value", AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem" }, "secret"],
    ["certificate beats federated", { AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem", AZURE_FEDERATED_TOKEN_FILE: "/t" }, "certificate"],
    [
      "federated beats github",
      { AZURE_FEDERATED_TOKEN_FILE: "/t", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token-123" },
      "federated-file",
    ],
    ["empty secret is ignored", { AZURE_CLIENT_SECRET: "", AZURE_FEDERATED_TOKEN_FILE: "/t" }, "federated-file"],
  ])("%s", (_name, extra, kind) => {
    expect(resolveConnection({ env: { ...BASE, ...extra } }).credential.kind).toBe(kind);
  });

  it("carries the certificate password and registers it as a secret", () => {
    const conn = resolveConnection({ env: { ...BASE, AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem", AZURE_CLIENT_CERTIFICATE_PASSWORD: "pfx-pass-987" } });
    expect(conn.credential).toEqual({ kind: "certificate", certificatePath: "/c.pem", certificatePassword: "pfx-pass-987" });
    expect(redact("pw=pfx-pass-987")).toBe("pw=[REDACTED]");
  });

  it("registers the client secret and the OIDC request token for redaction", () => {
    resolveConnection({ env: { ...BASE, AZURE_CLIENT_SECRET: "canary-secret-5521" } });
    resolveConnection({ env: { ...BASE, ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc-req-7788" } });
    expect(redact("a canary-secret-5521 b oidc-req-7788")).toBe("a [REDACTED] b [REDACTED]");
  });
});

describe("resolveConnection: precedence", () => {
  it("overrides win over the environment, field by field", () => {
    const conn = resolveConnection({
      env: { ...BASE, AZURE_CLIENT_SECRET: "env-secret-1", AVHEALTH_CA_FILE: "/env-ca.pem" },
      overrides: { tenantId: "contoso.onmicrosoft.com", clientSecret: "override-secret-2", caFile: "/override-ca.pem" },
    });
    expect(conn.tenantId).toBe("contoso.onmicrosoft.com");
    expect(conn.clientId).toBe(BASE.AZURE_CLIENT_ID);
    expect(conn.credential).toEqual({ kind: "secret", clientSecret: "override-secret-2" });
    expect(conn.caFile).toBe("/override-ca.pem");
  });

  it.each<[string, Env, { cloud?: string; apiUrl?: string; authorityHost?: string }, [string, string, string, string]]>([
    ["default commercial", {}, {}, ["commercial", "https://api.securitycenter.microsoft.com", "https://login.microsoftonline.com", "https://api.securitycenter.microsoft.com/.default"]],
    ["gcc", { AVHEALTH_CLOUD: "gcc" }, {}, ["gcc", "https://api-gcc.securitycenter.microsoft.us", "https://login.microsoftonline.com", "https://api-gcc.securitycenter.microsoft.us/.default"]],
    ["gcc-high", { AVHEALTH_CLOUD: "GCC-High" }, {}, ["gcc-high", "https://api-gov.securitycenter.microsoft.us", "https://login.microsoftonline.us", "https://api-gov.securitycenter.microsoft.us/.default"]],
    ["dod", { AVHEALTH_CLOUD: "dod" }, {}, ["dod", "https://api-gov.securitycenter.microsoft.us", "https://login.microsoftonline.us", "https://api-gov.securitycenter.microsoft.us/.default"]],
    [
      "env URLs over the env cloud",
      { AVHEALTH_CLOUD: "gcc", AVHEALTH_API_URL: "https://eu.api.security.microsoft.com/", AZURE_AUTHORITY_HOST: "login.example.com" },
      {},
      ["gcc", "https://eu.api.security.microsoft.com", "https://login.example.com", "https://api-gcc.securitycenter.microsoft.us/.default"],
    ],
    [
      "override cloud brings its own hosts over env URLs",
      { AVHEALTH_API_URL: "https://eu.api.security.microsoft.com", AZURE_AUTHORITY_HOST: "https://login.example.com" },
      { cloud: "dod" },
      ["dod", "https://api-gov.securitycenter.microsoft.us", "https://login.microsoftonline.us", "https://api-gov.securitycenter.microsoft.us/.default"],
    ],
    [
      "override URLs win over everything",
      { AVHEALTH_API_URL: "https://eu.api.security.microsoft.com" },
      { cloud: "gcc", apiUrl: "https://127.0.0.1:8443", authorityHost: "https://127.0.0.1:8443/" },
      ["gcc", "https://127.0.0.1:8443", "https://127.0.0.1:8443", "https://api-gcc.securitycenter.microsoft.us/.default"],
    ],
    ["loopback http allowed", { AVHEALTH_API_URL: "http://localhost:3000", AZURE_AUTHORITY_HOST: "http://[::1]:4000" }, {}, ["commercial", "http://localhost:3000", "http://[::1]:4000", "https://api.securitycenter.microsoft.com/.default"]],
  ])("%s", (_name, extra, overrides, [cloud, apiUrl, authorityHost, scope]) => {
    const conn = resolveConnection({ env: { ...BASE, AZURE_CLIENT_SECRET: "x-secret-1", ...extra }, overrides });
    expect([conn.cloud, conn.apiUrl, conn.authorityHost, conn.scope]).toEqual([cloud, apiUrl, authorityHost, scope]);
  });
});

describe("resolveConnection: problems", () => {
  it.each<[string, Env, string[]]>([
    ["nothing", {}, ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]],
    ["no tenant", { AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "x-secret-1" }, ["AZURE_TENANT_ID"]],
    ["no client", { AZURE_TENANT_ID: "t", AZURE_CLIENT_SECRET: "x-secret-1" }, ["AZURE_CLIENT_ID"]],
    ["no credential", { ...BASE }, ["AZURE_CLIENT_SECRET"]],
    ["half of github oidc", { ...BASE, ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example/x" }, ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]],
    ["blank tenant", { AZURE_TENANT_ID: "  ", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "x-secret-1" }, ["AZURE_TENANT_ID"]],
  ])("%s → AUTH_MISSING_CONFIG naming what to set", (_name, env, missing) => {
    const err = codeOf(() => resolveConnection({ env }));
    expect(err.code).toBe(ErrorCodes.AUTH_MISSING_CONFIG);
    expect(err.details.missing).toEqual(missing);
    for (const name of missing) expect(err.message).toContain(name);
  });

  it("the missing-credential message names every option, the Pulumi command included", () => {
    const err = codeOf(() => resolveConnection({ env: { ...BASE } }));
    for (const hint of ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "id-token: write", "pulumi config set --secret avhealth:clientSecret"]) {
      expect(err.message).toContain(hint);
    }
  });

  it.each<[string, Env, ErrorCode, string]>([
    ["http API URL", { AVHEALTH_API_URL: "http://api.securitycenter.microsoft.com" }, ErrorCodes.INSECURE_URL, "AVHEALTH_API_URL"],
    ["http authority", { AZURE_AUTHORITY_HOST: "http://login.example.com" }, ErrorCodes.INSECURE_URL, "AZURE_AUTHORITY_HOST"],
    ["http 0.0.0.0 is not loopback", { AVHEALTH_API_URL: "http://0.0.0.0:80" }, ErrorCodes.INSECURE_URL, "AVHEALTH_API_URL"],
    ["ftp API URL", { AVHEALTH_API_URL: "ftp://api.example.com" }, ErrorCodes.INSECURE_URL, "AVHEALTH_API_URL"],
    ["URL with a query", { AVHEALTH_API_URL: "https://api.example.com/?sig=abc" }, ErrorCodes.CONFIG_INVALID, "AVHEALTH_API_URL"],
    ["unknown cloud", { AVHEALTH_CLOUD: "mooncake" }, ErrorCodes.CONFIG_INVALID, "AVHEALTH_CLOUD"],
    ["tenant with a slash", { AZURE_TENANT_ID: "abc/../x" }, ErrorCodes.CONFIG_INVALID, "AZURE_TENANT_ID"],
  ])("%s", (_name, extra, code, setting) => {
    const err = codeOf(() => resolveConnection({ env: { ...BASE, AZURE_CLIENT_SECRET: "x-secret-1", ...extra } }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(setting);
    expect(err.message).not.toContain("sig=abc");
  });

  it("insecure GitHub OIDC request URL → INSECURE_URL", () => {
    const env = { ...BASE, ACTIONS_ID_TOKEN_REQUEST_URL: "http://gh.example/x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token-123" };
    expect(codeOf(() => resolveConnection({ env })).code).toBe(ErrorCodes.INSECURE_URL);
  });

  it("an unknown cloud in Pulumi config names avhealth:cloud", () => {
    const err = codeOf(() => resolveConnection({ env: { ...BASE, AZURE_CLIENT_SECRET: "x-secret-1" }, overrides: { cloud: "azurechina" } }));
    expect([err.code, err.details.setting]).toEqual([ErrorCodes.CONFIG_INVALID, "avhealth:cloud"]);
  });
});

describe("hasTenantConfig / describeConnection", () => {
  it.each<[Env, boolean]>([
    [{}, false],
    [{ AZURE_TENANT_ID: "" }, false],
    [{ AZURE_TENANT_ID: "t" }, true],
    [{ AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c" }, true],
  ])("%j → %s", (env, expected) => {
    expect(hasTenantConfig(env)).toBe(expected);
  });

  it("describes a connection without its secret", () => {
    const conn = resolveConnection({ env: { ...BASE, AZURE_CLIENT_SECRET: "describe-secret-42" } });
    const text = JSON.stringify(describeConnection(conn));
    expect(text).not.toContain("describe-secret-42");
    expect(describeConnection(conn).credentialKind).toBe("secret");
  });
});
