/**
 * The pinned gate's own snapshot. Where it comes from and whom it trusts were decided at the entrance
 * (trust/entrance.ts) from the pack's rule file: the pinned tenant, cloud and hosts, TLS verification always on
 * with Node's roots plus the rule file's CA files, the rule file's method and reuse window. The gated stack and
 * its environment supply credentials only. Nothing is read from disk that this process did not fetch itself:
 * snapshots go to a private directory of this process, never to the shared cache.
 */
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { pinnedOverrides } from "../config/pins";
import { describeConnection, resolveConnection } from "../config/resolve";
import { stackConfigFromEnv } from "../config/stack-config";
import { AvHealthError, ErrorCodes } from "../errors";
import type { FetchSnapshotResult } from "../fetch/types";
import type { GateSource } from "../trust/types";
import { defaultFetch, failedRef, knownRef, snapshotFacts, type OwnSnapshotTaker, type PackFetch } from "./ownSnapshot";
import type { Env } from "./types";
import { privateTempDir } from "../util/private-dir";

export interface PinnedSnapshotOptions {
  env: Env;
  source: Extract<GateSource, { kind: "pinned-fetch" }>;
  fetchSnapshot?: PackFetch;
  log?: (line: string) => void;
  clock?: () => Date;
}

interface Taken {
  result: FetchSnapshotResult;
  atMs: number;
}

export function createPinnedSnapshotTaker(options: PinnedSnapshotOptions): OwnSnapshotTaker {
  const { source } = options;
  const { pins } = source;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const config = stackConfigFromEnv(options.env);
  let last: Taken | undefined;
  let pending: Promise<Taken> | undefined;

  const take = async (): Promise<Taken> => {
    if (config.get("avhealth:filter") !== undefined) {
      throw new AvHealthError(
        ErrorCodes.FLEET_PIN_MISMATCH,
        "The rule file pins the fleet (settings.fleet), and stack config avhealth:filter would narrow it: a pinned gate always judges the whole tenant. Remove avhealth:filter from the stack's config.",
        { details: { setting: "avhealth:filter" } },
      );
    }
    const overrides = pinnedOverrides(pins, config, options.env);
    // Validates the credentials before any I/O; the secret-free description is for the log line.
    const connection = describeConnection(resolveConnection({ overrides, env: options.env }));
    const fetchSnapshot = options.fetchSnapshot ?? (await defaultFetch());
    if (source.ignored.length > 0) log(`avhealth: ignored because the rule file pins the fleet: ${source.ignored.join("; ")}`);
    log(`avhealth: the pack is taking its own snapshot of tenant ${connection.tenantId} from ${connection.apiUrl} (method ${pins.method}; pinned by the rule file)`);
    const outPath = path.join(privateDir(), `${randomBytes(8).toString("hex")}.ndjson.gz`);
    const result = await fetchSnapshot({ overrides, env: options.env, method: pins.method, filter: undefined, outPath, tls: source.tls });
    return { result, atMs: clock().getTime() };
  };

  return async (stackUrn) => {
    try {
      const now = clock().getTime();
      // Reuse only what this process fetched, complete, within the rule file's window (the two passes of `up`).
      const reusable = last !== undefined && last.result.header.complete && now - last.atMs >= 0 && now - last.atMs <= pins.cacheTtlSeconds * 1000;
      if (!reusable) {
        pending ??= take().finally(() => {
          pending = undefined;
        });
        last = await pending;
      }
      const { result } = last as Taken;
      return knownRef(snapshotFacts(result.header, result.path), pins.tenantId, stackUrn);
    } catch (error) {
      return failedRef(error, pins.tenantId, stackUrn);
    }
  };
}

let dir: string | undefined;

/** This process's own directory for the snapshots it fetches, made once. */
function privateDir(): string {
  dir ??= privateTempDir("avhealth-gate-");
  return dir;
}
