/**
 * resolveConnection: Pulumi config (overrides) over the environment (Azure SDK variable names), validated once
 * up front so that every later failure is about the network or the tenant, never about a typo.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import { registerSecret } from "../util/redact";
import { CLOUDS, parseCloud } from "./clouds";
import type { CloudName, ConnectionConfig, ConnectionDescription, ConnectionOverrides, CredentialConfig, Env } from "./types";
import { assertSecureUrl, parseBaseUrl } from "./urls";
import { nonBlank } from "../util/non-blank";

export interface ResolveConnectionOptions {
  env?: Env;
  overrides?: ConnectionOverrides;
}

const PULUMI_SECRET_HINT = "`pulumi config set --secret avhealth:clientSecret <secret>`";

/** An unset, empty or blank value counts as absent: CI systems often export empty variables. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}


export function resolveConnection(options: ResolveConnectionOptions = {}): ConnectionConfig {
  const env = options.env ?? process.env;
  const overrides = options.overrides ?? {};

  const tenantId = nonBlank(overrides.tenantId) ?? nonBlank(env.AZURE_TENANT_ID);
  const clientId = nonBlank(overrides.clientId) ?? nonBlank(env.AZURE_CLIENT_ID);
  const credential = pickCredential(env, overrides);

  const missing: string[] = [];
  const hints: string[] = [];
  if (!tenantId) {
    missing.push("AZURE_TENANT_ID");
    hints.push("AZURE_TENANT_ID is not set: set it to your Entra tenant id (in Pulumi: `pulumi config set avhealth:tenantId <id>`)");
  }
  if (!clientId) {
    missing.push("AZURE_CLIENT_ID");
    hints.push("AZURE_CLIENT_ID is not set: set it to the app registration's application (client) id (in Pulumi: `pulumi config set avhealth:clientId <id>`)");
  }
  if (typeof credential === "string") {
    missing.push(credential === "oidc-token" ? "ACTIONS_ID_TOKEN_REQUEST_TOKEN" : "AZURE_CLIENT_SECRET");
    hints.push(
      credential === "oidc-token"
        ? "ACTIONS_ID_TOKEN_REQUEST_URL is set but ACTIONS_ID_TOKEN_REQUEST_TOKEN is not: give the GitHub Actions job `permissions: id-token: write`, or set AZURE_CLIENT_SECRET"
        : `no credential is configured: set AZURE_CLIENT_SECRET, or AZURE_CLIENT_CERTIFICATE_PATH (PEM with private key), or AZURE_FEDERATED_TOKEN_FILE, or run in GitHub Actions with \`permissions: id-token: write\` (in Pulumi: ${PULUMI_SECRET_HINT})`,
    );
  }
  if (!tenantId || !clientId || typeof credential === "string") {
    throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `Defender API credentials are incomplete. ${hints.join("; ")}.`, {
      details: { missing },
    });
  }
  checkIdentifier(tenantId, "AZURE_TENANT_ID");
  checkIdentifier(clientId, "AZURE_CLIENT_ID");

  const endpoints = resolveEndpoints(env, overrides);
  const caFile = nonBlank(overrides.caFile) ?? nonBlank(env.AVHEALTH_CA_FILE) ?? null;
  return { tenantId, clientId, credential, ...endpoints, caFile };
}

/** Returns the credential, or which gap to report: "none" (nothing configured) or "oidc-token" (half of GitHub OIDC). */
function pickCredential(env: Env, overrides: ConnectionOverrides): CredentialConfig | "none" | "oidc-token" {
  const secret = present(overrides.clientSecret) ?? present(env.AZURE_CLIENT_SECRET);
  if (secret) {
    registerSecret(secret);
    return { kind: "secret", clientSecret: secret };
  }
  const certificatePath = nonBlank(env.AZURE_CLIENT_CERTIFICATE_PATH);
  if (certificatePath) {
    const certificatePassword = present(env.AZURE_CLIENT_CERTIFICATE_PASSWORD) ?? null;
    registerSecret(certificatePassword);
    return { kind: "certificate", certificatePath, certificatePassword };
  }
  const tokenFile = nonBlank(env.AZURE_FEDERATED_TOKEN_FILE);
  if (tokenFile) return { kind: "federated-file", tokenFile };
  const requestUrl = nonBlank(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  const requestToken = present(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  if (requestUrl && requestToken) {
    registerSecret(requestToken);
    assertSecureUrl(parseUrl(requestUrl, "ACTIONS_ID_TOKEN_REQUEST_URL"), "ACTIONS_ID_TOKEN_REQUEST_URL");
    return { kind: "github-oidc", requestUrl, requestToken };
  }
  return requestUrl ? "oidc-token" : "none";
}

/*
 * A cloud named in Pulumi config brings its own hosts, so a CI-wide AVHEALTH_API_URL or AZURE_AUTHORITY_HOST meant
 * for another cloud cannot mix with it; explicit URL overrides still win over everything.
 */
function resolveEndpoints(env: Env, overrides: ConnectionOverrides): { cloud: CloudName; apiUrl: string; authorityHost: string; scope: string } {
  const overrideCloud = nonBlank(overrides.cloud);
  const envCloud = nonBlank(env.AVHEALTH_CLOUD);
  const cloud = overrideCloud
    ? parseCloud(overrideCloud, "avhealth:cloud")
    : envCloud
      ? parseCloud(envCloud, "AVHEALTH_CLOUD")
      : "commercial";
  const profile = CLOUDS[cloud];

  const api = nonBlank(overrides.apiUrl)
    ? { value: nonBlank(overrides.apiUrl) as string, setting: "avhealth:apiUrl" }
    : !overrideCloud && nonBlank(env.AVHEALTH_API_URL)
      ? { value: nonBlank(env.AVHEALTH_API_URL) as string, setting: "AVHEALTH_API_URL" }
      : { value: profile.apiUrl, setting: "the cloud's API URL" };
  const authority = nonBlank(overrides.authorityHost)
    ? { value: nonBlank(overrides.authorityHost) as string, setting: "authorityHost" }
    : !overrideCloud && nonBlank(env.AZURE_AUTHORITY_HOST)
      ? { value: nonBlank(env.AZURE_AUTHORITY_HOST) as string, setting: "AZURE_AUTHORITY_HOST" }
      : { value: profile.authorityHost, setting: "the cloud's authority host" };

  return {
    cloud,
    apiUrl: parseBaseUrl(api.value, api.setting),
    authorityHost: parseBaseUrl(authority.value, authority.setting),
    scope: profile.scope,
  };
}

function parseUrl(value: string, setting: string): URL {
  try {
    return new URL(value);
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} is not a valid URL: check the value your CI provides.`, {
      cause,
      details: { setting },
    });
  }
}

/** Tenant and client ids end up in URL paths; anything beyond a GUID or domain name is a paste error. */
function checkIdentifier(value: string, setting: string): void {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) return;
  throw new AvHealthError(
    ErrorCodes.CONFIG_INVALID,
    `${setting} contains characters that cannot be an id: set it to a GUID (or, for the tenant, a domain such as contoso.onmicrosoft.com).`,
    { details: { setting } },
  );
}

/**
 * Is an Azure tenant configured in this environment? The demo uses the emulator when it is not. A tenant with
 * a missing client id or credential still counts, so the user gets the AUTH_MISSING_CONFIG message rather than
 * a silent switch to the emulator.
 */
export function hasTenantConfig(env: Env = process.env): boolean {
  return present(env.AZURE_TENANT_ID) !== undefined;
}

export function describeConnection(connection: ConnectionConfig): ConnectionDescription {
  return {
    tenantId: connection.tenantId,
    clientId: connection.clientId,
    credentialKind: connection.credential.kind,
    cloud: connection.cloud,
    apiUrl: connection.apiUrl,
    authorityHost: connection.authorityHost,
  };
}
