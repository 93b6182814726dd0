/**
 * MSAL's INetworkModule over our undici dispatcher, so token requests use the same proxy and CA settings as API
 * calls. It also enforces that MSAL talks to the configured authority only, and retries 429/5xx/resets itself
 * through decideRetry: MSAL never sees a transient failure (it would otherwise throttle itself for a minute).
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { request, type Dispatcher } from "undici";
import { AvHealthError, ErrorCodes } from "../errors";
import { safeUrl } from "../util/redact";
import { DEFAULT_RETRY_POLICY, isRetryableStatus, type HeaderBag, type RetryPolicy } from "../http/retry";
import { networkFailure, runWithRetries, type AttemptOutcome } from "../http/retrying";
import { unexpectedStatusError, parseErrorBody } from "../http/api-errors";
import { BODY_DEADLINE_MS, MAX_AUTH_BODY_BYTES, readBody } from "../http/body";
import type { ProgressListener } from "../http/types";

export interface MsalNetworkOptions {
  dispatcher: Dispatcher;
  /** The only origin MSAL may contact (the authority host). */
  allowedOrigin: string;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onProgress?: ProgressListener;
}

export interface MsalNetworkModule extends INetworkModule {
  /**
   * MSAL replaces any non-MSAL error thrown by a network module with a bare "network_error"; the typed error we
   * threw is kept here so that translateAuthError can report the real cause.
   */
  takeLastFailure(): AvHealthError | undefined;
  recordFailure(error: AvHealthError): void;
}

export function createMsalNetworkModule(options: MsalNetworkOptions): MsalNetworkModule {
  let lastFailure: AvHealthError | undefined;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };

  async function send<T>(method: "GET" | "POST", url: string, init: NetworkRequestOptions | undefined): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const what = `${method} ${safeUrl(target)}`;
    if (target.origin !== options.allowedOrigin) {
      return fail(
        new AvHealthError(ErrorCodes.HTTP_NETWORK, `The token library tried to reach ${safeUrl(target)}, outside the configured authority ${options.allowedOrigin}; the request was blocked.`, {
          details: { reason: "foreign-host" },
        }),
      );
    }
    const attempt = async (): Promise<AttemptOutcome<NetworkResponse<T>>> => {
      let status: number;
      let headers: HeaderBag;
      let text: string;
      try {
        const response = await request(target, { dispatcher: options.dispatcher, method, headers: init?.headers, body: init?.body });
        status = response.statusCode;
        headers = response.headers as HeaderBag;
        const read = await readBody(response.body, headers, { limit: MAX_AUTH_BODY_BYTES, overLimit: "refuse", deadlineMs: BODY_DEADLINE_MS, what });
        if (read === "too-large") {
          throw new AvHealthError(ErrorCodes.AUTH_FAILED, `${what} answered HTTP ${status} with a body larger than 1 MiB, more than any token response: check AZURE_AUTHORITY_HOST and any proxy in between.`, {
            details: { status, reason: "too-large" },
          });
        }
        text = read;
      } catch (error) {
        return { failed: networkFailure(error, what) };
      }
      if (isRetryableStatus(status)) return { failed: { status, headers, error: unexpectedStatusError(status, what, parseErrorBody(text, headers)) } };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AvHealthError(ErrorCodes.AUTH_FAILED, `${what} answered HTTP ${status} with a body that is not JSON: check AZURE_AUTHORITY_HOST and any proxy in between.`, {
          details: { status },
        });
      }
      return { ok: { status, headers: lowerCaseHeaders(headers), body: body as T } };
    };
    try {
      return await runWithRetries(attempt, {
        policy,
        sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        random: options.random ?? Math.random,
        now: Date.now,
        route: "token",
        what,
        onProgress: options.onProgress,
      });
    } catch (error) {
      if (error instanceof AvHealthError) return fail(error);
      throw error;
    }
  }

  function fail(error: AvHealthError): never {
    lastFailure = error;
    throw error;
  }

  return {
    sendGetRequestAsync: <T>(url: string, init?: NetworkRequestOptions) => send<T>("GET", url, init),
    sendPostRequestAsync: <T>(url: string, init?: NetworkRequestOptions) => send<T>("POST", url, init),
    takeLastFailure() {
      const failure = lastFailure;
      lastFailure = undefined;
      return failure;
    },
    recordFailure(error: AvHealthError) {
      lastFailure = error;
    },
  };
}

function lowerCaseHeaders(headers: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
