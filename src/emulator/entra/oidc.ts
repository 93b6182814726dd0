/**
 * A GitHub-Actions-style OIDC token service: GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=... with
 * `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers {"value": "<jwt>"}; the JWT's issuer is this
 * emulator's /oidc, whose discovery document and keys are served too, and the token endpoint accepts it as a
 * federated client_assertion when its audience is api://AzureADTokenExchange.
 */
import { timingSafeEqual } from "node:crypto";
import type { EmulatorContext } from "../context";
import { nowSeconds } from "../context";
import { bearerToken, sendApiError, sendJson, type Exchange } from "../http";
import { issueFederatedToken, oidcIssuer } from "../identity";
import { jwks } from "./discovery";

/** GitHub's ID tokens live for minutes, not hours. */
const ID_TOKEN_LIFETIME_SECONDS = 10 * 60;
const DEFAULT_AUDIENCE = "https://github.com/example";

export function oidcRequestUrl(context: EmulatorContext): string {
  return `${context.baseUrl}/oidc/idtoken?api-version=2.0`;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function handleOidcToken(context: EmulatorContext, ex: Exchange): void {
  const token = bearerToken(ex.req);
  if (token === null || !sameToken(token, context.identity.oidcRequestToken)) {
    return sendApiError(ex, 401, "Unauthorized", "The request token is missing or invalid.");
  }
  const audience = ex.url.searchParams.get("audience") ?? DEFAULT_AUDIENCE;
  const value = issueFederatedToken(context.identity, context.baseUrl, audience, nowSeconds(context), ID_TOKEN_LIFETIME_SECONDS);
  sendJson(ex, 200, { count: value.length, value });
}

export function handleOidcMetadata(context: EmulatorContext, ex: Exchange, what: "config" | "keys"): void {
  if (what === "keys") return sendJson(ex, 200, jwks([context.identity.oidcKey]));
  const issuer = oidcIssuer(context.baseUrl);
  sendJson(ex, 200, {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks`,
    subject_types_supported: ["public", "pairwise"],
    response_types_supported: ["id_token"],
    claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "repo", "repository_owner"],
  });
}
