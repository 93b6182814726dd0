import { decideRetry, parseRetryAfter, type RetryDecision, type RetryInput } from "../../src/http/retry";

const NOW = Date.parse("2025-01-01T00:00:00Z");
const base: RetryInput = { attempt: 1, maxAttempts: 5, random: () => 0.5, now: () => NOW, baseDelayMs: 1000, maxDelayMs: 8000 };

describe("decideRetry", () => {
  it.each<[string, Partial<RetryInput>, RetryDecision]>([
    // 429 honours Retry-After, in seconds or as an HTTP date
    ["429 Retry-After seconds", { status: 429, headers: { "Retry-After": "7" } }, { retryAfterMs: 7000 }],
    ["429 Retry-After fractional", { status: 429, headers: { "retry-after": "1.5" } }, { retryAfterMs: 1500 }],
    ["429 Retry-After HTTP date", { status: 429, headers: { "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" } }, { retryAfterMs: 30_000 }],
    ["429 Retry-After date in the past", { status: 429, headers: { "retry-after": "Tue, 31 Dec 2024 23:00:00 GMT" } }, { retryAfterMs: 0 }],
    ["429 Retry-After as array", { status: 429, headers: { "retry-after": ["3", "9"] } }, { retryAfterMs: 3000 }],
    ["429 garbage Retry-After falls back to backoff", { status: 429, headers: { "retry-after": "soon-ish!" } }, { retryAfterMs: 750 }],
    ["429 without Retry-After backs off", { status: 429 }, { retryAfterMs: 750 }],
    ["429 Retry-After beyond the limit", { status: 429, headers: { "retry-after": "3600" }, maxRetryAfterMs: 600_000 }, { giveUp: "HTTP 429 asks to wait 3600 s, longer than the 600 s this client waits" }],
    // server errors, bodiless gateway errors, request timeout
    ["500 attempt 1", { status: 500 }, { retryAfterMs: 750 }],
    ["502 attempt 2", { status: 502, attempt: 2 }, { retryAfterMs: 1500 }],
    ["503 attempt 3 honours its Retry-After", { status: 503, attempt: 3, headers: { "retry-after": "2" } }, { retryAfterMs: 2000 }],
    ["504 attempt 4 is capped", { status: 504, attempt: 4 }, { retryAfterMs: 6000 }],
    ["504 attempt 4, cap 5000", { status: 504, attempt: 4, maxDelayMs: 5000 }, { retryAfterMs: 3750 }],
    ["408", { status: 408 }, { retryAfterMs: 750 }],
    ["jitter 0 is half the ceiling", { status: 500, attempt: 2, random: () => 0 }, { retryAfterMs: 1000 }],
    ["jitter ~1 is the ceiling", { status: 500, attempt: 2, random: () => 0.9999 }, { retryAfterMs: 2000 }],
    ["exhausted", { status: 503, attempt: 5 }, { giveUp: "HTTP 503 after 5 attempts" }],
    // never retried
    ["400", { status: 400 }, { giveUp: "HTTP 400 is not retryable" }],
    ["401", { status: 401 }, { giveUp: "HTTP 401 is not retryable" }],
    ["403", { status: 403 }, { giveUp: "HTTP 403 is not retryable" }],
    ["404", { status: 404 }, { giveUp: "HTTP 404 is not retryable" }],
    ["409", { status: 409 }, { giveUp: "HTTP 409 is not retryable" }],
    ["501", { status: 501 }, { giveUp: "HTTP 501 is not retryable" }],
    // connection failures
    ["ECONNRESET", { errorCode: "ECONNRESET" }, { retryAfterMs: 750 }],
    ["UND_ERR_SOCKET", { errorCode: "UND_ERR_SOCKET", attempt: 3 }, { retryAfterMs: 3000 }],
    ["UND_ERR_CONNECT_TIMEOUT", { errorCode: "UND_ERR_CONNECT_TIMEOUT" }, { retryAfterMs: 750 }],
    ["UND_ERR_HEADERS_TIMEOUT", { errorCode: "UND_ERR_HEADERS_TIMEOUT" }, { retryAfterMs: 750 }],
    ["UND_ERR_BODY_TIMEOUT", { errorCode: "UND_ERR_BODY_TIMEOUT" }, { retryAfterMs: 750 }],
    ["ETIMEDOUT", { errorCode: "ETIMEDOUT" }, { retryAfterMs: 750 }],
    ["ECONNREFUSED", { errorCode: "ECONNREFUSED" }, { retryAfterMs: 750 }],
    ["EPIPE exhausted", { errorCode: "EPIPE", attempt: 5 }, { giveUp: "EPIPE after 5 attempts" }],
    ["TLS failure", { errorCode: "SELF_SIGNED_CERT_IN_CHAIN" }, { giveUp: "SELF_SIGNED_CERT_IN_CHAIN is not retryable" }],
    ["unknown host", { errorCode: "ENOTFOUND" }, { giveUp: "ENOTFOUND is not retryable" }],
    ["no status, no code", {}, { giveUp: "an unknown network error is not retryable" }],
  ])("%s", (_name, input, expected) => {
    expect(decideRetry({ ...base, ...input })).toEqual(expected);
  });

  it("defaults: random jitter stays within [ceiling/2, ceiling]", () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const decision = decideRetry({ attempt, status: 503, maxAttempts: 10 });
      if (!("retryAfterMs" in decision)) throw new Error("expected a retry");
      const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
      expect(decision.retryAfterMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(decision.retryAfterMs).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe("parseRetryAfter", () => {
  it.each<[string | undefined, number | null]>([
    [undefined, null],
    ["0", 0],
    ["120", 120_000],
    ["  5 ", 5000],
    ["-1", null],
    ["", null],
    ["Wed, 01 Jan 2025 00:01:00 GMT", 60_000],
    ["not a date at all", null],
  ])("%p → %p", (value, expected) => {
    expect(parseRetryAfter(value, () => NOW)).toBe(expected);
  });
});
