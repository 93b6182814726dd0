/**
 * Service-SAS-shaped download URLs: sv, st, se, sr=b, sp=r and sig, where sig is an HMAC-SHA256 (keyed with the
 * emulated storage account key) over the blob path and the other parameters. The blob route accepts a request
 * only when the signature verifies and `se` has not passed; nothing else (no Bearer token) authorises it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SAS_VERSION = "2020-08-04";

function sasTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function stringToSign(blobPath: string, params: { sv: string; st: string; se: string; sr: string; sp: string }): string {
  return [params.sp, params.st, params.se, blobPath, params.sv, params.sr].join("\n");
}

function signature(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("base64");
}

/** The full download URL of `blobPath`, valid from `startMs` to `expiryMs`. */
export function signBlobUrl(baseUrl: string, blobPath: string, key: Buffer, startMs: number, expiryMs: number): string {
  const params = { sv: SAS_VERSION, st: sasTime(startMs), se: sasTime(expiryMs), sr: "b", sp: "r" };
  const query = new URLSearchParams({ ...params, sig: signature(key, stringToSign(blobPath, params)) });
  return `${baseUrl}${blobPath}?${query.toString()}`;
}

export type SasVerdict = "ok" | "invalid" | "expired";

/** Checks the SAS query of a blob request at `nowMs`. */
export function verifySas(url: URL, blobPath: string, key: Buffer, nowMs: number): SasVerdict {
  const get = (name: string): string | null => url.searchParams.get(name);
  const sv = get("sv");
  const st = get("st");
  const se = get("se");
  const sr = get("sr");
  const sp = get("sp");
  const sig = get("sig");
  if (sv === null || st === null || se === null || sr === null || sp === null || sig === null) return "invalid";
  const expected = Buffer.from(signature(key, stringToSign(blobPath, { sv, st, se, sr, sp })));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  if (sp.indexOf("r") < 0) return "invalid";
  const expiry = Date.parse(se);
  const start = Date.parse(st);
  if (Number.isNaN(expiry) || nowMs > expiry) return "expired";
  // Azure allows a little clock skew on `st`; 5 minutes, like token validation.
  if (!Number.isNaN(start) && nowMs < start - 5 * 60 * 1000) return "invalid";
  return "ok";
}
