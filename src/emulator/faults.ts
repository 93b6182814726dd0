/**
 * Fault injection (`avhealth emulator --help`, --faults). A spec is a comma list of ROUTE:FAULT@N (the
 * N-th request to ROUTE, counting from 1) or ROUTE:FAULT%P (P percent of requests, decided by a stream seeded
 * with the fleet seed and the request number, so the same seed and spec always hit the same requests).
 *
 * What each fault does:
 *   429      answer 429 TooManyRequests with Retry-After: 1 (token route: an AADSTS throttling body)
 *   500      answer 500 InternalServerError with an error body
 *   502      answer 502 with no body at all, as the nginx in front of the real API does
 *   503      answer 503 ServiceUnavailable with an error body and no Retry-After
 *   reset    send the status line, headers and part of the body, then destroy the socket
 *   slow     delay the response by ~2 s (options.slowMs), then answer normally
 *   expire   export: every SAS URL in that response has already expired (se in the past);
 *            blob: answer 403 AuthenticationFailed as if the SAS had expired
 *   empty    export: add one more part holding no records to exportFiles (no data is lost)
 *   dup      export: add one more part repeating a device that another part already holds
 *   truncate blob: serve the part cut short (a valid HTTP response whose gzip stream ends early)
 *   corrupt  blob: serve the part with its first NDJSON line cut in half (malformed JSON)
 *   trickle  blob: send the headers, then the part one byte every ~1 s (options.trickleMs), so that the
 *            connection never sits idle long enough for a client's idle timeout
 *   cycle    deviceavinfo: a page past the first has an @odata.nextLink back to the first page ($skip=0),
 *            so a client that follows links blindly pages forever (A → B → A → …; use cycle%100)
 */
import { createHash } from "node:crypto";
import { AvHealthError, ErrorCodes } from "../errors";
import { Rng, seedWords, type SeedWords } from "./fleet/prng";
import type { LimitedRoute } from "./types";

export const FAULT_KINDS = ["429", "500", "502", "503", "reset", "truncate", "corrupt", "expire", "empty", "dup", "slow", "trickle", "cycle"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const ROUTES: readonly LimitedRoute[] = ["token", "deviceavinfo", "export", "blob"];
const ANY_ROUTE: ReadonlySet<FaultKind> = new Set<FaultKind>(["429", "500", "502", "503", "reset", "slow"]);
const ROUTES_OF: Readonly<Partial<Record<FaultKind, readonly LimitedRoute[]>>> = {
  expire: ["export", "blob"],
  empty: ["export"],
  dup: ["export"],
  truncate: ["blob"],
  corrupt: ["blob"],
  trickle: ["blob"],
  cycle: ["deviceavinfo"],
};

export interface FaultRule {
  route: LimitedRoute;
  fault: FaultKind;
  /** Exactly the nth request (1-based)... */
  nth?: number;
  /** ...or this percentage of requests. */
  percent?: number;
  /** Distinguishes the random streams of rules that share a route. */
  salt: number;
}

export interface FaultPlan {
  readonly rules: readonly FaultRule[];
  /** Faults that apply to request number `n` (1-based) of `route`. */
  faultsFor(route: LimitedRoute, n: number): FaultKind[];
}

function invalid(entry: string, why: string): AvHealthError {
  return new AvHealthError(
    ErrorCodes.CONFIG_INVALID,
    `Invalid --faults entry "${entry}": ${why}. Use ROUTE:FAULT@N or ROUTE:FAULT%P, e.g. "blob:truncate@1,deviceavinfo:429%10".`,
  );
}

export function parseFaultSpec(spec: string | undefined): FaultRule[] {
  if (spec === undefined || spec.trim() === "") return [];
  return spec.split(",").map((raw) => {
    const entry = raw.trim();
    const match = /^([a-z]+):([a-z0-9]+)(?:@(\d+)|%(\d+(?:\.\d+)?))$/i.exec(entry);
    if (!match) throw invalid(entry, "not in the form ROUTE:FAULT@N or ROUTE:FAULT%P");
    const route = (match[1] ?? "").toLowerCase() as LimitedRoute;
    const fault = (match[2] ?? "").toLowerCase() as FaultKind;
    if (!ROUTES.includes(route)) throw invalid(entry, `unknown route "${route}" (routes: ${ROUTES.join(", ")})`);
    if (!FAULT_KINDS.includes(fault)) throw invalid(entry, `unknown fault "${fault}" (faults: ${FAULT_KINDS.join(", ")})`);
    if (!ANY_ROUTE.has(fault) && !(ROUTES_OF[fault] ?? []).includes(route)) {
      throw invalid(entry, `fault "${fault}" applies only to ${(ROUTES_OF[fault] ?? []).join(", ")}`);
    }
    const salt = createHash("sha256").update(entry.toLowerCase()).digest().readUInt32LE(0);
    if (match[3] !== undefined) {
      const nth = Number(match[3]);
      if (nth < 1) throw invalid(entry, "N counts from 1");
      return { route, fault, nth, salt };
    }
    const percent = Number(match[4]);
    if (percent > 100) throw invalid(entry, "P is a percentage from 0 to 100");
    return { route, fault, percent, salt };
  });
}

export function createFaultPlan(spec: string | undefined, seed: string): FaultPlan {
  const rules = parseFaultSpec(spec);
  const words: SeedWords = seedWords(`faults:${seed}`);
  return {
    rules,
    faultsFor(route, n) {
      const hits: FaultKind[] = [];
      for (const rule of rules) {
        if (rule.route !== route) continue;
        if (rule.nth !== undefined ? rule.nth === n : new Rng(words, n, rule.salt).next() * 100 < (rule.percent ?? 0)) {
          hits.push(rule.fault);
        }
      }
      return hits;
    },
  };
}
