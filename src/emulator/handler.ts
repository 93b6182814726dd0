/**
 * One request, start to finish: route, count, inject the configured faults, authenticate, rate-limit, answer,
 * and record it in the request log (with SAS signatures redacted).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { redact } from "../util/redact";
import { authenticate, MACHINE_READ, VULNERABILITY_READ } from "./api/auth";
import { handleBlob } from "./api/blob";
import { handleDeviceAvInfo } from "./api/deviceavinfo";
import { handleExport } from "./api/export";
import type { EmulatorContext } from "./context";
import { handleDiscovery, instanceDiscovery } from "./entra/discovery";
import { handleOidcMetadata, handleOidcToken } from "./entra/oidc";
import { handleToken } from "./entra/token";
import type { FaultKind } from "./faults";
import { sendAadError, sendApiError, sendJson, type Exchange } from "./http";
import { matchRoute, type RouteMatch } from "./router";
import type { CountedRoute, LimitedRoute, RequestLogEntry } from "./types";

export interface RequestStats {
  counts: Record<CountedRoute, number>;
  log: RequestLogEntry[];
}

/** The log keeps the latest entries only, so a long-running `avhealth emulator` does not grow without bound. */
export const MAX_LOG_ENTRIES = 100_000;

export function newStats(): RequestStats {
  return { counts: { token: 0, deviceavinfo: 0, export: 0, blob: 0, oidc: 0 }, log: [] };
}

/** Answers a status fault (429/500/502/503) in the route's own error dialect; false when none applies. */
function statusFault(ex: Exchange, route: LimitedRoute, faults: readonly FaultKind[]): boolean {
  const status = faults.find((f) => f === "429" || f === "500" || f === "502" || f === "503");
  if (status === undefined) return false;
  if (status === "502") {
    // The nginx in front of the API answers a bare 502: no body, no Retry-After.
    ex.res.writeHead(502, { "content-length": "0" });
    ex.res.end();
    return true;
  }
  const retry: Record<string, string> = status === "429" ? { "retry-after": "1" } : {};
  if (route === "token") {
    const [error, code] = status === "500" ? ["server_error", 50000] : ["temporarily_unavailable", 50196];
    sendAadError(ex, Number(status), error, code, "The service is temporarily unavailable. Retry the request.", retry);
  } else if (status === "429") {
    sendApiError(ex, 429, "TooManyRequests", "Rate limit is exceeded. Try again in 1 seconds.", retry);
  } else if (status === "500") {
    sendApiError(ex, 500, "InternalServerError", "");
  } else {
    sendApiError(ex, 503, "ServiceUnavailable", "The service is temporarily unavailable.");
  }
  return true;
}

function rateLimited(context: EmulatorContext, ex: Exchange, route: LimitedRoute, client: string): boolean {
  const decision = context.limiter.check(route, client, context.now().getTime());
  if (decision.allowed) return false;
  const retry = { "retry-after": String(decision.retryAfterSeconds) };
  if (route === "token") {
    sendAadError(ex, 429, "temporarily_unavailable", 50196, "The server is throttling requests from this client.", retry);
  } else {
    sendApiError(ex, 429, "TooManyRequests", `Rate limit is exceeded. Try again in ${decision.retryAfterSeconds} seconds.`, retry);
  }
  return true;
}

async function dispatch(context: EmulatorContext, ex: Exchange, match: RouteMatch, faults: readonly FaultKind[]): Promise<void> {
  const source = ex.req.socket.remoteAddress ?? "unknown";
  const isGet = ex.req.method === "GET" || ex.req.method === "HEAD";
  if (match.route !== "token" && !isGet) return sendApiError(ex, 405, "MethodNotAllowed", `${ex.req.method ?? "?"} is not supported here.`);
  switch (match.route) {
    case "token":
      if (rateLimited(context, ex, "token", source)) return;
      return handleToken(context, ex, match.tenant);
    case "deviceavinfo":
    case "export": {
      const caller = authenticate(context, ex, match.route === "export" ? VULNERABILITY_READ : MACHINE_READ);
      if (caller === null || rateLimited(context, ex, match.route, caller.appId)) return;
      if (match.route === "export") return handleExport(context, ex, faults);
      return handleDeviceAvInfo(context, ex, faults);
    }
    case "blob":
      if (rateLimited(context, ex, "blob", source)) return;
      return handleBlob(context, ex, faults);
    case "oidc":
      return handleOidcToken(context, ex);
    case "discovery":
      if ("instance" in match) return sendJson(ex, 200, instanceDiscovery(context));
      if ("oidcIssuer" in match) return handleOidcMetadata(context, ex, "config");
      return handleDiscovery(context, ex, match.tenant, "config");
    case "jwks":
      if ("oidcIssuer" in match) return handleOidcMetadata(context, ex, "keys");
      return handleDiscovery(context, ex, match.tenant, "keys");
    case "unknown":
      return sendApiError(ex, 404, "ResourceNotFound", `No route matches ${ex.url.pathname.slice(0, 200)}.`);
  }
}

export function createHandler(
  getContext: () => EmulatorContext,
  stats: RequestStats,
  onError: (error: unknown) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const context = getContext();
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", context.baseUrl);
    const ex: Exchange = { req, res, url, requestId };
    const match = matchRoute(url.pathname);
    res.setHeader("request-id", requestId);
    res.setHeader("x-request-id", requestId);
    res.on("close", () => {
      if (stats.log.length >= MAX_LOG_ENTRIES) stats.log.splice(0, stats.log.length - MAX_LOG_ENTRIES + 1);
      stats.log.push({
        route: match.route,
        method: req.method ?? "",
        path: redact(`${url.pathname}${url.search}`),
        status: res.statusCode,
        hadAuthorization: typeof req.headers.authorization === "string",
      });
    });

    const run = async (): Promise<void> => {
      let faults: FaultKind[] = [];
      if (match.route in stats.counts) {
        const n = ++stats.counts[match.route as CountedRoute];
        if (match.route !== "oidc") faults = context.faults.faultsFor(match.route as LimitedRoute, n);
      }
      if (faults.includes("slow")) await delay(context.slowMs);
      if (statusFault(ex, match.route as LimitedRoute, faults)) return;
      if (faults.includes("reset")) ex.reset = true;
      await dispatch(context, ex, match, faults);
    };
    run().catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendApiError(ex, 500, "InternalServerError", "");
      else res.destroy();
    });
  };
}
