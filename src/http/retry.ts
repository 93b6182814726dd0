/**
 * The retry decision, pure: given what the last attempt produced, wait how long or give up why. Everything that
 * sends a request (API calls, blob downloads, token requests) asks this one function.
 */

export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export interface RetryInput {
  /** The attempt that just failed, counting from 1. */
  attempt: number;
  /** HTTP status, when a response arrived. */
  status?: number;
  headers?: HeaderBag;
  /** The error code of a failed connection (ECONNRESET, UND_ERR_SOCKET...), when no response arrived. */
  errorCode?: string;
  /** Total attempts allowed, the first included. */
  maxAttempts: number;
  /** Source of jitter in [0, 1); injected so tests are exact. */
  random?: () => number;
  /** Wall clock in ms, for Retry-After given as an HTTP date. */
  now?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited out (an hourly quota): give up and say when to come back. */
  maxRetryAfterMs?: number;
}

export type RetryDecision = { retryAfterMs: number } | { giveUp: string };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 10 * 60_000,
};

/** Statuses worth another try: throttling, gateway hiccups (often bodiless), server errors, request timeout. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Connection failures that a new connection can fix. TLS and DNS-name errors are not among them. */
const RETRYABLE_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "ERR_STREAM_PREMATURE_CLOSE",
  "Z_BUF_ERROR",
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

export function isRetryableErrorCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_ERROR_CODES.has(code);
}

export function decideRetry(input: RetryInput): RetryDecision {
  const what = input.status !== undefined ? `HTTP ${input.status}` : (input.errorCode ?? "an unknown network error");
  const retryable = input.status !== undefined ? RETRYABLE_STATUS.has(input.status) : isRetryableErrorCode(input.errorCode);
  if (!retryable) return { giveUp: `${what} is not retryable` };
  if (input.attempt >= input.maxAttempts) return { giveUp: `${what} after ${input.attempt} attempts` };

  const retryAfter = parseRetryAfter(headerValue(input.headers, "retry-after"), input.now ?? Date.now);
  if (retryAfter !== null) {
    const limit = input.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs;
    if (retryAfter > limit) {
      return { giveUp: `${what} asks to wait ${Math.ceil(retryAfter / 1000)} s, longer than the ${Math.round(limit / 1000)} s this client waits` };
    }
    return { retryAfterMs: retryAfter };
  }
  return { retryAfterMs: backoff(input.attempt, input) };
}

/*
 * Capped exponential backoff with "equal jitter": half the delay is fixed so retries never bunch at zero, half
 * is random so concurrent downloads that failed together do not retry together.
 */
function backoff(attempt: number, input: RetryInput): number {
  const base = input.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
  const cap = input.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  const random = input.random ?? Math.random;
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Retry-After is delta-seconds (what Defender sends) or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, now: () => number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now());
}

export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}
