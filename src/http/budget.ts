/**
 * Client-side rate budget: sliding windows per route, so a fetch waits its turn instead of sending into a 429.
 * Defender's quotas are per app and per route (the Defender for Endpoint API documentation): 30/min and
 * 1,000/h for deviceavinfo; 5/min and 20/h for the export call. The server's 429 stays the backstop for what
 * this process cannot see (other processes using the same app registration).
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { ApiRoute, ProgressListener } from "./types";

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export type BudgetLimits = Readonly<Record<ApiRoute, readonly RateWindow[]>>;

/** "off" disables the budget (tests, the emulator with its rate limit off). */
export type BudgetOption = Partial<BudgetLimits> | "off";

export const DEFAULT_BUDGET: BudgetLimits = {
  deviceavinfo: [
    { limit: 30, windowMs: 60_000 },
    { limit: 1000, windowMs: 3_600_000 },
  ],
  export: [
    { limit: 5, windowMs: 60_000 },
    { limit: 20, windowMs: 3_600_000 },
  ],
};

export interface RateBudgetOptions {
  limits?: BudgetOption;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: ProgressListener;
  /** A single wait longer than this fails with HTTP_BUDGET_EXHAUSTED instead of blocking (an hourly quota is spent). */
  maxWaitMs?: number;
}

export interface RateBudget {
  /** Resolves when one request on `route` may be sent, and counts it. */
  acquire(route: ApiRoute): Promise<void>;
}

export const DEFAULT_MAX_BUDGET_WAIT_MS = 15 * 60_000;

export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  if (options.limits === "off") return { acquire: async () => undefined };
  const limits: BudgetLimits = { ...DEFAULT_BUDGET, ...(options.limits ?? {}) };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_BUDGET_WAIT_MS;
  const sent = new Map<ApiRoute, number[]>();
  // One queue per route: concurrent callers take turns, so two cannot both see the last free slot.
  const queues = new Map<ApiRoute, Promise<void>>();

  async function take(route: ApiRoute): Promise<void> {
    const windows = limits[route];
    const log = sent.get(route) ?? [];
    sent.set(route, log);
    const longest = Math.max(0, ...windows.map((w) => w.windowMs));
    for (;;) {
      const t = now();
      while (log.length > 0 && (log[0] as number) <= t - longest) log.shift();
      const waitMs = Math.max(0, ...windows.map((w) => waitFor(log, w, t)));
      if (waitMs === 0) {
        log.push(t);
        return;
      }
      if (waitMs > maxWaitMs) {
        throw new AvHealthError(
          ErrorCodes.HTTP_BUDGET_EXHAUSTED,
          `The ${route} rate budget is spent: the next call is allowed in ${Math.ceil(waitMs / 60_000)} min. Run again later, or raise the wait limit if this run may block that long.`,
          { details: { route, waitMs } },
        );
      }
      options.onProgress?.({ kind: "rate-limit-wait", route, waitMs });
      await sleep(waitMs);
    }
  }

  return {
    acquire(route: ApiRoute): Promise<void> {
      const previous = queues.get(route) ?? Promise.resolve();
      const turn = previous.then(() => take(route));
      // A failed turn must not block the callers behind it.
      queues.set(
        route,
        turn.catch(() => undefined),
      );
      return turn;
    },
  };
}

/** How long until `window` has a free slot, given the send times in `log` (ascending). */
function waitFor(log: readonly number[], window: RateWindow, t: number): number {
  if (window.limit <= 0) return Number.POSITIVE_INFINITY;
  const inWindow = log.filter((at) => at > t - window.windowMs);
  if (inWindow.length < window.limit) return 0;
  // The slot frees when the oldest call that keeps the window full slides out.
  const blocker = inWindow[inWindow.length - window.limit] as number;
  return blocker + window.windowMs - t;
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
