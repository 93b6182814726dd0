/**
 * POST /{tenant}/oauth2/v2.0/token: the client-credentials grant with a client secret or a client_assertion
 * (certificate or federated). Failures answer as Entra does: an AADSTS-coded body, 401 invalid_client for bad
 * credentials, 400 for a bad request or scope. Issued access tokens are RS256 JWTs for the Defender API.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { EmulatorContext } from "../context";
import { nowSeconds } from "../context";
import { readBody, sendAadError, sendText, type Exchange } from "../http";
import { API_AUDIENCE, API_SCOPE } from "../identity";
import { signJwt } from "../jwt";
import { checkClientAssertion } from "./assertion";
import { isOurTenant, sendTenantNotFound } from "./discovery";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** client_secret_basic: Authorization: Basic base64(client_id:client_secret). */
function basicCredentials(ex: Exchange): { id: string; secret: string } | null {
  const header = ex.req.headers.authorization;
  const match = typeof header === "string" ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function issueAccessToken(context: EmulatorContext, credentialKind: "secret" | "assertion"): string {
  const now = nowSeconds(context);
  const { identity } = context;
  const claims: Record<string, unknown> = {
    aud: API_AUDIENCE,
    iss: `https://sts.windows.net/${identity.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + ACCESS_TOKEN_LIFETIME_SECONDS,
    aio: randomBytes(24).toString("base64url"),
    app_displayname: "avhealth",
    appid: identity.clientId,
    // appidacr: 1 = client secret, 2 = certificate or other assertion
    appidacr: credentialKind === "secret" ? "1" : "2",
    idp: `https://sts.windows.net/${identity.tenantId}/`,
    idtyp: "app",
    oid: identity.servicePrincipalId,
    rh: randomBytes(16).toString("base64url"),
    sub: identity.servicePrincipalId,
    tid: identity.tenantId,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
  };
  if (context.roles.length > 0) claims.roles = [...context.roles];
  return signJwt(claims, identity.tokenKey.privateKey, { kid: identity.tokenKey.kid, x5t: identity.tokenKey.kid });
}

export async function handleToken(context: EmulatorContext, ex: Exchange, tenant: string): Promise<void> {
  if (ex.req.method !== "POST") {
    return sendAadError(ex, 405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
  }
  if (!isOurTenant(context, tenant)) return sendTenantNotFound(ex, tenant);
  const body = await readBody(ex.req, 64 * 1024);
  if (body === null) return sendAadError(ex, 400, "invalid_request", 900144, "The request body is too large.");
  const form = new URLSearchParams(body);
  const basic = basicCredentials(ex);
  const missing = (name: string): void =>
    sendAadError(ex, 400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);

  const grantType = form.get("grant_type");
  if (grantType === null) return missing("grant_type");
  if (grantType !== "client_credentials") {
    return sendAadError(ex, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType.slice(0, 40)}'.`);
  }
  const clientId = form.get("client_id") ?? basic?.id ?? null;
  if (clientId === null) return missing("client_id");
  if (clientId.toLowerCase() !== context.identity.clientId.toLowerCase()) {
    return sendAadError(
      ex,
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId.slice(0, 64)}' was not found in the directory '${context.identity.tenantId}'.`,
    );
  }
  const scope = form.get("scope");
  if (scope === null) return missing("scope");
  if (scope.trim() !== API_SCOPE) {
    return sendAadError(
      ex,
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope '${scope.slice(0, 100)}' is not valid. Client credential flows must use '${API_SCOPE}'.`,
    );
  }

  const secret = form.get("client_secret") ?? basic?.secret ?? null;
  const assertion = form.get("client_assertion");
  let kind: "secret" | "assertion";
  if (secret !== null) {
    if (!sameSecret(secret, context.identity.clientSecret)) {
      return sendAadError(
        ex,
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${context.identity.clientId}'.`,
      );
    }
    kind = "secret";
  } else if (assertion !== null) {
    if (form.get("client_assertion_type") !== JWT_BEARER) {
      return sendAadError(ex, 400, "invalid_request", 700025, `client_assertion_type must be '${JWT_BEARER}'.`);
    }
    const problem = checkClientAssertion(context, assertion);
    if (problem !== null) return sendAadError(ex, 401, "invalid_client", problem.aadsts, problem.description);
    kind = "assertion";
  } else {
    return sendAadError(ex, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }

  const accessToken = issueAccessToken(context, kind);
  sendText(
    ex,
    200,
    JSON.stringify({
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS - 1,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS - 1,
      access_token: accessToken,
    }),
    "application/json; charset=utf-8",
    { "cache-control": "no-store, no-cache", pragma: "no-cache", "x-ms-request-id": randomUUID() },
  );
}
