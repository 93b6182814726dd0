/**
 * Per-client rate limits with sliding windows, as the Defender API enforces them: 30/min and 1,000/h on
 * deviceavinfo, 5/min and 20/h on the export call (defender-api.md §1.3, the stricter documented figures).
 * A rejected request is not counted, and Retry-After says when the oldest counted request leaves the window.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { LimitedRoute, RateLimitConfig, RateWindow } from "./types";

export const DEFAULT_RATE_LIMITS: Readonly<Record<LimitedRoute, RateWindow[]>> = {
  deviceavinfo: [
    { limit: 30, windowSeconds: 60 },
    { limit: 1000, windowSeconds: 3600 },
  ],
  export: [
    { limit: 5, windowSeconds: 60 },
    { limit: 20, windowSeconds: 3600 },
  ],
  token: [],
  blob: [],
};

const ROUTE_ALIASES: Readonly<Record<string, LimitedRoute>> = {
  json: "deviceavinfo",
  deviceavinfo: "deviceavinfo",
  export: "export",
  files: "export",
  blob: "blob",
  token: "token",
};

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

function invalid(spec: string, why: string): AvHealthError {
  return new AvHealthError(
    ErrorCodes.CONFIG_INVALID,
    `Invalid --rate-limit "${spec}": ${why}. Use "off" or ROUTE=COUNT/WINDOW[+COUNT/WINDOW], e.g. "json=30/60s+1000/1h,export=5/60s".`,
  );
}

/** "off" | "json=30/60s+1000/3600s,export=5/1m,blob=off" → per-route config (routes not named keep defaults). */
export function parseRateLimitSpec(spec: string): RateLimitConfig {
  const text = spec.trim();
  if (text.toLowerCase() === "off") return { deviceavinfo: "off", export: "off", token: "off", blob: "off" };
  const config: RateLimitConfig = {};
  for (const entry of text.split(",")) {
    const [name, value] = entry.trim().split("=", 2) as [string, string | undefined];
    const route = ROUTE_ALIASES[name.trim().toLowerCase()];
    if (route === undefined) throw invalid(spec, `unknown route "${name}" (json, export, blob, token)`);
    if (value === undefined) throw invalid(spec, `no limit given for ${name}`);
    if (value.trim().toLowerCase() === "off") {
      config[route] = "off";
      continue;
    }
    config[route] = value.split("+").map((part) => {
      const match = /^\s*(\d+)\/(\d+)([smh]?)\s*$/i.exec(part);
      if (!match) throw invalid(spec, `"${part}" is not COUNT/WINDOW such as 30/60s`);
      const limit = Number(match[1]);
      const windowSeconds = Number(match[2]) * (UNIT_SECONDS[(match[3] || "s").toLowerCase()] ?? 1);
      if (limit < 1 || windowSeconds < 1) throw invalid(spec, `"${part}" needs a count and a window of at least 1`);
      return { limit, windowSeconds };
    });
  }
  return config;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  check(route: LimitedRoute, client: string, nowMs: number): RateDecision;
  readonly windows: Readonly<Record<LimitedRoute, RateWindow[]>>;
}

export function createRateLimiter(config: string | RateLimitConfig | undefined): RateLimiter {
  const parsed = typeof config === "string" ? parseRateLimitSpec(config) : (config ?? {});
  const windows = {} as Record<LimitedRoute, RateWindow[]>;
  for (const route of Object.keys(DEFAULT_RATE_LIMITS) as LimitedRoute[]) {
    const given = parsed[route];
    windows[route] = given === "off" ? [] : (given ?? DEFAULT_RATE_LIMITS[route]);
  }
  // Request times per route and client, oldest first; pruned to the longest window on every check.
  const history = new Map<string, number[]>();

  return {
    windows,
    check(route, client, nowMs) {
      const routeWindows = windows[route];
      if (routeWindows.length === 0) return { allowed: true };
      const key = `${route}\u0000${client}`;
      const longest = Math.max(...routeWindows.map((w) => w.windowSeconds)) * 1000;
      const times = (history.get(key) ?? []).filter((t) => t > nowMs - longest);
      let retryAfterMs = 0;
      for (const window of routeWindows) {
        const start = nowMs - window.windowSeconds * 1000;
        const inWindow = times.filter((t) => t > start);
        if (inWindow.length >= window.limit) {
          const oldest = inWindow[inWindow.length - window.limit] as number;
          retryAfterMs = Math.max(retryAfterMs, oldest + window.windowSeconds * 1000 - nowMs);
        }
      }
      if (retryAfterMs > 0) {
        history.set(key, times);
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
      }
      times.push(nowMs);
      history.set(key, times);
      return { allowed: true };
    },
  };
}
