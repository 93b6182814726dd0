/**
 * Minimal JWS compact tokens on node:crypto: RS256 to issue, RS256/PS256 to verify (MSAL signs certificate
 * assertions with PS256 when given a SHA-256 thumbprint). No external JWT library, so the emulator checks exactly
 * what Entra checks and nothing is skipped silently.
 */
import { constants, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

export type JwtHeader = Record<string, unknown> & { alg?: unknown; kid?: unknown; x5t?: unknown };
export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function signJwt(claims: JwtClaims, privateKey: KeyObject, header: Record<string, unknown> = {}): string {
  const input = `${encodeSegment({ typ: "JWT", alg: "RS256", ...header })}.${encodeSegment(claims)}`;
  const signature = sign("sha256", Buffer.from(input), privateKey).toString("base64url");
  return `${input}.${signature}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits and parses a compact JWS; null when it is not one (so callers answer 401, not 500). */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, c, s] = parts as [string, string, string];
  try {
    const header: unknown = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    const claims: unknown = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
    if (!isObject(header) || !isObject(claims)) return null;
    return { header, claims, signingInput: `${h}.${c}`, signature: Buffer.from(s, "base64url") };
  } catch {
    return null;
  }
}

/** True when the token's signature verifies with `key` under its declared RS256/PS256 algorithm. */
export function verifySignature(token: DecodedJwt, key: KeyObject | string): boolean {
  const publicKey = typeof key === "string" ? createPublicKey(key) : key;
  const data = Buffer.from(token.signingInput);
  if (token.header.alg === "RS256") return verify("sha256", data, publicKey, token.signature);
  if (token.header.alg === "PS256") {
    return verify("sha256", data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, token.signature);
  }
  return false;
}

/** Why a token's time claims fail at `nowSeconds`, or null. Five minutes of skew, as Entra allows. */
export function timeProblem(claims: JwtClaims, nowSeconds: number): "expired" | "not-yet-valid" | "no-exp" | null {
  const skew = 300;
  if (typeof claims.exp !== "number") return "no-exp";
  if (claims.exp + skew < nowSeconds) return "expired";
  if (typeof claims.nbf === "number" && claims.nbf - skew > nowSeconds) return "not-yet-valid";
  return null;
}

/** `aud` may be a string or an array of strings. */
export function hasAudience(claims: JwtClaims, audience: string): boolean {
  const aud = claims.aud;
  if (typeof aud === "string") return aud === audience;
  return Array.isArray(aud) && aud.includes(audience);
}
