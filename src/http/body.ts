/**
 * Reading a response body with limits, so that a server (or whatever answers in its place) cannot make the
 * client hold an endless body or wait for one forever:
 * - a JSON page larger than maxPageBytes is refused (a page is at most 10,000 records);
 * - an error body is read only up to maxErrorBodyBytes (its code and message are at the start);
 * - a body still arriving after deadlineMs is given up, since the dispatcher's body timeout only bounds the
 *   gap between two chunks and a body that trickles one byte at a time never trips it.
 */
import type { Readable } from "node:stream";
import { AvHealthError, ErrorCodes } from "../errors";
import { headerValue, type HeaderBag } from "./retry";

export interface BodyLimits {
  maxPageBytes: number;
  maxErrorBodyBytes: number;
  deadlineMs: number;
}

/**
 * 10,000 records of about 6.7 KB each: four to five times the largest /api/deviceavinfo record seen (the
 * emulator's are ~1.3 KB, real ones with long names and versions under 1.5 KB).
 */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Token, discovery and OIDC answers are a few KB. */
export const MAX_AUTH_BODY_BYTES = 1024 * 1024;
/** A full page at 100 KB/s takes about 11 minutes. */
export const BODY_DEADLINE_MS = 15 * 60_000;

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxPageBytes: MAX_PAGE_BYTES, maxErrorBodyBytes: MAX_ERROR_BODY_BYTES, deadlineMs: BODY_DEADLINE_MS };

/**
 * The body as text, or "too-large" when it is (or says it is) longer than `limit` and `overLimit` is "refuse";
 * with "truncate" the first `limit` bytes are kept and the rest is never read. Throws HTTP_NETWORK past the
 * deadline, and what the stream throws (a reset) otherwise.
 */
export async function readBody(
  body: Readable,
  headers: HeaderBag,
  options: { limit: number; overLimit: "refuse" | "truncate"; deadlineMs: number; what: string },
): Promise<string | "too-large"> {
  const declared = Number(headerValue(headers, "content-length"));
  if (options.overLimit === "refuse" && Number.isFinite(declared) && declared > options.limit) {
    body.destroy();
    return "too-large";
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    body.destroy();
  }, options.deadlineMs);
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      if (size + bytes.length > options.limit) {
        if (options.overLimit === "refuse") return "too-large";
        chunks.push(bytes.subarray(0, options.limit - size));
        size = options.limit;
        break;
      }
      chunks.push(bytes);
      size += bytes.length;
    }
  } catch (error) {
    if (!late) throw error;
  } finally {
    clearTimeout(timer);
    body.destroy();
  }
  if (late) {
    throw new AvHealthError(
      ErrorCodes.HTTP_NETWORK,
      `${options.what} was still sending its body after ${options.deadlineMs / 1000} s (${size} bytes so far): a response that trickles is given up. Check the network and any proxy in between.`,
      { details: { reason: "body-deadline", deadlineMs: options.deadlineMs, bytes: size } },
    );
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
