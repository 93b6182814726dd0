/**
 * createApiClient: the ApiClient of ./types.ts over one undici dispatcher. Every API call is budgeted per route,
 * retried through decideRetry, and authorised with a Bearer token; blob downloads carry no Authorization at all.
 */
import type { Readable } from "node:stream";
import { request, type Dispatcher } from "undici";
import type { TokenProvider } from "../auth/types";
import type { ConnectionConfig } from "../config/types";
import { assertSecureUrl } from "../config/urls";
import { AvHealthError, ErrorCodes } from "../errors";
import { redact, safeUrl } from "../util/redact";
import {
  badResponseError,
  forbiddenError,
  parseErrorBody,
  requestIdOf,
  sasExpiredError,
  tooLargeError,
  unauthorizedError,
  unexpectedStatusError,
} from "./api-errors";
import { DEFAULT_BODY_LIMITS, readBody, type BodyLimits } from "./body";
import { createRateBudget, defaultSleep, type BudgetOption, type RateBudget } from "./budget";
import { DEFAULT_RETRY_POLICY, type HeaderBag, type RetryPolicy } from "./retry";
import { networkFailure, runWithRetries, type AttemptOutcome, type RetryContext } from "./retrying";
import type { ApiClient, ApiRoute, JsonResponse, ProgressListener } from "./types";

export interface CreateApiClientOptions {
  connection: Pick<ConnectionConfig, "apiUrl"> & Partial<Pick<ConnectionConfig, "tenantId">>;
  tokenProvider: TokenProvider;
  /** The client takes ownership: close() closes it. */
  dispatcher: Dispatcher;
  /** Limits per route, "off", or a ready RateBudget shared with other clients. */
  budget?: BudgetOption | RateBudget;
  retry?: Partial<RetryPolicy>;
  /** Size caps for JSON pages and error bodies, and the deadline for a body to arrive (see body.ts). */
  bodyLimits?: Partial<BodyLimits>;
  onProgress?: ProgressListener;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

function isRateBudget(value: unknown): value is RateBudget {
  return typeof value === "object" && value !== null && typeof (value as { acquire?: unknown }).acquire === "function";
}

export function createApiClient(options: CreateApiClientOptions): ApiClient {
  const apiUrl = options.connection.apiUrl.replace(/\/+$/, "");
  const apiOrigin = new URL(apiUrl).origin;
  const { dispatcher, tokenProvider, onProgress } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const budget = isRateBudget(options.budget)
    ? options.budget
    : createRateBudget({ limits: options.budget, now, sleep, onProgress });
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const limits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
  const context = (route: string, what: string): RetryContext => ({
    policy,
    sleep,
    now,
    random: options.random ?? Math.random,
    route,
    what,
    onProgress,
  });

  function resolveApiUrl(pathOrUrl: string): URL {
    if (pathOrUrl.startsWith("/")) return new URL(apiUrl + pathOrUrl);
    let url: URL;
    try {
      url = new URL(pathOrUrl);
    } catch {
      throw badResponseError(`The link ${safeUrl(pathOrUrl)}`, "neither an API path nor an absolute URL");
    }
    // A nextLink elsewhere would receive our Bearer token: only the API's own origin is followed.
    if (url.origin !== apiOrigin) {
      throw new AvHealthError(
        ErrorCodes.API_BAD_RESPONSE,
        `The API returned a link to ${safeUrl(url)}, outside ${apiOrigin}: it is not followed, so the token is not sent elsewhere. Page with $skip instead.`,
        { details: { reason: "foreign-origin", url: safeUrl(url), expectedOrigin: apiOrigin } },
      );
    }
    return url;
  }

  async function getJson(pathOrUrl: string, route: ApiRoute): Promise<JsonResponse> {
    const url = resolveApiUrl(pathOrUrl);
    const what = `GET ${safeUrl(url)}`;
    let refreshed = false;
    const attempt = async (): Promise<AttemptOutcome<JsonResponse>> => {
      await budget.acquire(route);
      const token = await tokenProvider.getToken({ forceRefresh: refreshed });
      const sent = await send(url, { authorization: `Bearer ${token}`, accept: "application/json" }, what);
      if ("failed" in sent) return sent;
      if (sent.ok === "too-large") return final(tooLargeError(what, limits.maxPageBytes));
      const { status, headers, text } = sent.ok;
      if (status >= 200 && status < 300) return { ok: { status, body: parseJson(text, what), requestId: requestIdOf(headers) } };
      const info = parseErrorBody(text, headers);
      if (status === 401 && !refreshed) {
        // The cached token may have been revoked or rotated: one immediate try with a new one.
        refreshed = true;
        return attempt();
      }
      if (status === 401) return final(unauthorizedError(what, info));
      if (status === 403) return final(forbiddenError(route, what, info));
      return { failed: { status, headers, error: unexpectedStatusError(status, what, info) } };
    };
    return runWithRetries(attempt, context(route, what));
  }

  async function getBlob(sasUrl: string): Promise<Readable> {
    let url: URL;
    try {
      url = new URL(sasUrl);
    } catch {
      throw badResponseError("An export file URL", "an unparseable value");
    }
    assertSecureUrl(url, "The export file URL");
    const what = `GET ${safeUrl(url)}`;
    const attempt = async (): Promise<AttemptOutcome<Readable>> => {
      let response: Dispatcher.ResponseData;
      try {
        // No Authorization header: the SAS query authorises the download, the Bearer token must not leave the API.
        response = await request(url, { dispatcher, method: "GET", headers: { accept: "*/*" } });
      } catch (error) {
        return { failed: networkFailure(error, what) };
      }
      const headers = response.headers as HeaderBag;
      if (response.statusCode === 200) return { ok: response.body };
      const text = await readBody(response.body, headers, errorBodyLimits(what)).catch(() => "");
      const info = parseErrorBody(text, headers);
      if (response.statusCode === 403 && info.code === "AuthenticationFailed") return final(sasExpiredError(what, info));
      return { failed: { status: response.statusCode, headers, error: unexpectedStatusError(response.statusCode, what, info) } };
    };
    return runWithRetries(attempt, context("blob", what));
  }

  /** An error body is read for its code and message only: its first maxErrorBodyBytes. */
  function errorBodyLimits(what: string) {
    return { limit: limits.maxErrorBodyBytes, overLimit: "truncate", deadlineMs: limits.deadlineMs, what } as const;
  }

  type Sent = { status: number; headers: HeaderBag; text: string } | "too-large";
  async function send(url: URL, headers: Record<string, string>, what: string): Promise<AttemptOutcome<Sent>> {
    try {
      const response = await request(url, { dispatcher, method: "GET", headers });
      const status = response.statusCode;
      const bag = response.headers as HeaderBag;
      // Reading the body inside the try: a reset mid-body is a retryable failure like a reset before it.
      const page = status >= 200 && status < 300;
      const text = await readBody(response.body, bag, page ? { limit: limits.maxPageBytes, overLimit: "refuse", deadlineMs: limits.deadlineMs, what } : errorBodyLimits(what));
      return { ok: text === "too-large" ? text : { status, headers: bag, text } };
    } catch (error) {
      return { failed: networkFailure(error, what) };
    }
  }

  return {
    apiUrl,
    tenantId: options.connection.tenantId,
    getJson,
    getBlob,
    close: () => dispatcher.close(),
  };
}

/** A failure decideRetry will not retry (its status is not retryable), carrying the error to throw. */
function final<T>(error: AvHealthError): AttemptOutcome<T> {
  const status = typeof error.details.status === "number" ? error.details.status : 400;
  return { failed: { status, error } };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? redact(error.message).slice(0, 200) : "unparseable text";
    throw badResponseError(what, `a body that is not JSON (${reason})`);
  }
}
