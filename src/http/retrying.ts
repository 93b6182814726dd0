/**
 * The retry loop around one logical request: each attempt reports success or a classified failure, decideRetry
 * says wait or stop, and the loop owns sleeping, progress events and the final error.
 */
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { redact } from "../util/redact";
import { decideRetry, isRetryableErrorCode, isRetryableStatus, type HeaderBag, type RetryPolicy } from "./retry";
import type { ProgressListener } from "./types";

export interface AttemptFailure {
  status?: number;
  headers?: HeaderBag;
  errorCode?: string;
  /** What to throw if this failure is final: a typed error whose message is already secret-free. */
  error: AvHealthError;
}

export type AttemptOutcome<T> = { ok: T } | { failed: AttemptFailure };

export interface RetryContext {
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  /** The route for progress events: deviceavinfo, export, blob, token. */
  route: string;
  /** What is being fetched, secret-free, for the exhausted-retries message ("GET https://host/api/deviceavinfo"). */
  what: string;
  onProgress?: ProgressListener;
}

export async function runWithRetries<T>(attempt: (n: number) => Promise<AttemptOutcome<T>>, ctx: RetryContext): Promise<T> {
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if ("ok" in outcome) return outcome.ok;
    const failure = outcome.failed;
    const decision = decideRetry({
      attempt: n,
      status: failure.status,
      headers: failure.headers,
      errorCode: failure.errorCode,
      maxAttempts: ctx.policy.maxAttempts,
      random: ctx.random,
      now: ctx.now,
      baseDelayMs: ctx.policy.baseDelayMs,
      maxDelayMs: ctx.policy.maxDelayMs,
      maxRetryAfterMs: ctx.policy.maxRetryAfterMs,
    });
    if ("retryAfterMs" in decision) {
      const reason = failure.status !== undefined ? `HTTP ${failure.status}` : (failure.errorCode ?? "network error");
      ctx.onProgress?.({ kind: "retry", route: ctx.route, attempt: n, reason, waitMs: decision.retryAfterMs });
      await ctx.sleep(decision.retryAfterMs);
      continue;
    }
    const retryable = failure.status !== undefined ? isRetryableStatus(failure.status) : isRetryableErrorCode(failure.errorCode);
    if (!retryable) throw failure.error;
    throw new AvHealthError(
      ErrorCodes.HTTP_RETRIES_EXHAUSTED,
      `${ctx.what} kept failing (${decision.giveUp}); the last answer: ${failure.error.message} The service may be degraded; run again later.`,
      { cause: failure.error, details: { ...failure.error.details, attempts: n, route: ctx.route } },
    );
  }
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_|ERR_SSL_)/;

/** The code of a failed connection, from undici's error or the Node system error it wraps. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (typeof current !== "object") break;
    const candidate = current as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && candidate.code !== "UND_ERR") return candidate.code;
    current = candidate.cause;
  }
  return undefined;
}

/** Classify an exception from undici.request (or from reading a body) as a failure the loop understands. */
export function networkFailure(error: unknown, what: string): AttemptFailure {
  if (isAvHealthError(error)) return { error };
  const errorCode = networkErrorCode(error);
  const detail = error instanceof Error ? redact(error.message) : "unknown error";
  let advice = "Check the network, proxy settings (HTTPS_PROXY, NO_PROXY) and the configured URLs.";
  if (errorCode && TLS_CODES.test(errorCode)) {
    advice = "If a proxy inspects TLS, trust its CA with AVHEALTH_CA_FILE or NODE_EXTRA_CA_CERTS (a PEM file).";
  } else if (errorCode === "ENOTFOUND") {
    advice = "Check AVHEALTH_API_URL / AVHEALTH_CLOUD / AZURE_AUTHORITY_HOST and DNS or proxy settings.";
  }
  // The raw error may quote a URL with its query (a SAS signature): keep its code, not its text.
  const cause = Object.assign(new Error(detail), { name: error instanceof Error ? error.name : "Error", code: errorCode });
  return {
    errorCode: errorCode ?? "UNKNOWN",
    error: new AvHealthError(ErrorCodes.HTTP_NETWORK, `${what} failed: ${errorCode ?? "network error"} (${detail}). ${advice}`, {
      cause,
      details: { errorCode: errorCode ?? null },
    }),
  };
}
