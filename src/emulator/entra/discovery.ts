/**
 * Entra ID metadata documents: OpenID discovery (what MSAL's Authority reads: authorization_endpoint,
 * token_endpoint, end_session_endpoint, issuer, jwks_uri, all on this host so MSAL's issuer check passes),
 * the signing keys, and the instance-discovery document for clients that ask for it.
 */
import { createPublicKey } from "node:crypto";
import type { EmulatorContext } from "../context";
import { sendAadError, sendJson, type Exchange } from "../http";

export function tenantBase(context: EmulatorContext): string {
  return `${context.baseUrl}/${context.identity.tenantId}`;
}

export function tokenEndpoint(context: EmulatorContext): string {
  return `${tenantBase(context)}/oauth2/v2.0/token`;
}

export function isOurTenant(context: EmulatorContext, tenant: string): boolean {
  return tenant.toLowerCase() === context.identity.tenantId.toLowerCase();
}

export function sendTenantNotFound(ex: Exchange, tenant: string): void {
  sendAadError(
    ex,
    400,
    "invalid_tenant",
    90002,
    `Tenant '${tenant.slice(0, 64)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

export function openIdConfiguration(context: EmulatorContext): Record<string, unknown> {
  const base = tenantBase(context);
  const host = new URL(context.baseUrl).host;
  return {
    token_endpoint: tokenEndpoint(context),
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${context.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "roles"],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: context.baseUrl,
  };
}

export function jwks(keys: ReadonlyArray<{ publicKeyPem: string; kid: string }>): Record<string, unknown> {
  return {
    keys: keys.map((key) => ({
      ...createPublicKey(key.publicKeyPem).export({ format: "jwk" }),
      kid: key.kid,
      use: "sig",
      alg: "RS256",
    })),
  };
}

/** Cloud instance discovery, shaped like login.microsoftonline.com/common/discovery/instance. */
export function instanceDiscovery(context: EmulatorContext): Record<string, unknown> {
  const host = new URL(context.baseUrl).host;
  return {
    tenant_discovery_endpoint: `${tenantBase(context)}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

/** GET /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/.well-known/openid-configuration, keys. */
export function handleDiscovery(context: EmulatorContext, ex: Exchange, tenant: string, what: "config" | "keys"): void {
  if (!isOurTenant(context, tenant)) return sendTenantNotFound(ex, tenant);
  if (what === "keys") return sendJson(ex, 200, jwks([context.identity.tokenKey]));
  sendJson(ex, 200, openIdConfiguration(context));
}
