/**
 * Bearer-token checks of the Defender API (defender-api.md §4.4, §8): no, malformed, badly signed, expired or
 * foreign-tenant tokens are 401 Unauthorized; a valid token for another audience or without the route's
 * permission (app `roles` or delegated `scp`) is 403 Forbidden.
 */
import type { EmulatorContext } from "../context";
import { nowSeconds } from "../context";
import { bearerToken, sendApiError, type Exchange } from "../http";
import { API_AUDIENCE } from "../identity";
import { decodeJwt, hasAudience, timeProblem, verifySignature } from "../jwt";

export interface Caller {
  /** The app id: the per-client key of rate limits. */
  appId: string;
}

export interface Permission {
  /** Any of these application roles... */
  roles: readonly string[];
  /** ...or any of these delegated scopes. */
  scopes: readonly string[];
}

export const MACHINE_READ: Permission = { roles: ["Machine.Read.All", "Machine.ReadWrite.All"], scopes: ["Machine.Read", "Machine.ReadWrite"] };
export const VULNERABILITY_READ: Permission = { roles: ["Vulnerability.Read.All"], scopes: ["Vulnerability.Read"] };

function granted(claims: Record<string, unknown>, permission: Permission): boolean {
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  const scopes = typeof claims.scp === "string" ? claims.scp.split(" ") : [];
  return roles.some((r) => permission.roles.includes(r)) || scopes.some((s) => permission.scopes.includes(s));
}

/** The caller, or null once a 401/403 has been sent. */
export function authenticate(context: EmulatorContext, ex: Exchange, permission: Permission): Caller | null {
  const unauthorized = (message: string): null => {
    sendApiError(ex, 401, "Unauthorized", message, { "www-authenticate": 'Bearer error="invalid_token"' });
    return null;
  };
  const raw = bearerToken(ex.req);
  if (raw === null) return unauthorized("Authorization header is missing or is not a Bearer token.");
  const jwt = decodeJwt(raw);
  if (jwt === null || jwt.header.alg !== "RS256" || jwt.header.kid !== context.identity.tokenKey.kid) {
    return unauthorized("Invalid or expired authorization token.");
  }
  if (!verifySignature(jwt, context.identity.tokenKey.publicKey)) return unauthorized("Invalid or expired authorization token.");
  if (timeProblem(jwt.claims, nowSeconds(context)) !== null) return unauthorized("Invalid or expired authorization token.");
  if (jwt.claims.tid !== context.identity.tenantId) return unauthorized("The token was issued for another tenant.");
  if (!hasAudience(jwt.claims, API_AUDIENCE)) {
    sendApiError(ex, 403, "Forbidden", `The token audience is not ${API_AUDIENCE}; request the token for ${API_AUDIENCE}/.default.`);
    return null;
  }
  if (!granted(jwt.claims, permission)) {
    sendApiError(
      ex,
      403,
      "Forbidden",
      `The application does not have any of the required application permissions (${permission.roles.join(", ")}) to access the resource.`,
    );
    return null;
  }
  const appId = typeof jwt.claims.appid === "string" ? jwt.claims.appid : typeof jwt.claims.azp === "string" ? jwt.claims.azp : "unknown";
  return { appId };
}
