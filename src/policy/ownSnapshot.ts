/**
 * The snapshot the pack takes itself, for stacks without a DeviceAvHealth resource (any language), when the rule
 * file does not pin the fleet (pinnedSnapshot.ts takes it then). Connection and credentials are read as the
 * provider reads them (stack config `avhealth:*`, secrets decrypted, then the AZURE_* / AVHEALTH_* environment);
 * the fetch goes through the same on-disk cache, so the two passes of one `pulumi up` and every stack of one CI
 * job fetch once per tenant within cacheTtl. Every failure becomes a fleet the rules fail closed on.
 */
import { cacheKey, DEFAULT_CACHE_TTL_SECONDS, parseCacheTtl, CACHE_TTL_HINT, SnapshotCache, SnapshotFetcher } from "../cache";
import { describeConnection, resolveConnection } from "../config/resolve";
import { connectionOverrides, stackConfigFromEnv, type StackConfigSource } from "../config/stack-config";
import type { ConnectionOverrides } from "../config/types";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import type { FetchSnapshotOptions, FetchSnapshotResult, MethodChoice } from "../fetch/types";
import type { SnapshotHeader } from "../snapshot/types";
import type { TlsTrust } from "../trust/types";
import { redact } from "../util/redact";
import type { Env, FleetRef, KnownSnapshot } from "./types";

export type PackFetch = (options: FetchSnapshotOptions & { overrides: ConnectionOverrides; env: Env; tls?: TlsTrust }) => Promise<FetchSnapshotResult>;

export interface OwnSnapshotOptions {
  env: Env;
  cacheDir: string;
  /** The real one is fetchSnapshotWithConfig; tests inject theirs. */
  fetchSnapshot?: PackFetch;
  log?: (line: string) => void;
  clock?: () => Date;
}

/** Takes (or reuses) the pack's own snapshot; never throws, a failure is an `unknown` fleet with its reason. */
export type OwnSnapshotTaker = (stackUrn: string | undefined) => Promise<FleetRef>;

const METHODS: readonly MethodChoice[] = ["auto", "json", "files"];

export function createOwnSnapshotTaker(options: OwnSnapshotOptions): OwnSnapshotTaker {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const fetcher = new SnapshotFetcher(new SnapshotCache(options.cacheDir, clock, (warning) => log(`avhealth: warning: ${warning}`)), {}, clock);
  const config = stackConfigFromEnv(options.env);

  return async (stackUrn) => {
    let tenant = "";
    try {
      const settings = readSettings(config);
      const overrides = connectionOverrides(config);
      const connection = describeConnection(resolveConnection({ overrides, env: options.env }));
      tenant = connection.tenantId;
      const fetchSnapshot = options.fetchSnapshot ?? (await defaultFetch());
      const { entry, origin } = await fetcher.get(
        cacheKey(connection, settings),
        settings.cacheTtlSeconds,
        (outPath) => fetchSnapshot({ overrides, env: options.env, method: settings.method, filter: settings.filter, outPath }),
        {
          onFetch: () => log(`avhealth: the pack is taking its own snapshot of tenant ${tenant} (method ${settings.method})`),
          onWait: () => log(`avhealth: another process is fetching tenant ${tenant}; waiting for its snapshot`),
        },
      );
      if (origin !== "fetched") log(`avhealth: using the snapshot of tenant ${tenant} fetched at ${entry.header.fetchedAt}`);
      return knownRef(snapshotFacts(entry.header, entry.path), tenant, stackUrn);
    } catch (error) {
      return failedRef(error, tenant, stackUrn);
    }
  };
}

interface OwnSettings {
  method: MethodChoice;
  filter: string | undefined;
  cacheTtlSeconds: number;
}

/** `avhealth:method`, `avhealth:filter` and `avhealth:cacheTtl`. */
function readSettings(config: StackConfigSource): OwnSettings {
  const method = config.get("avhealth:method")?.trim() ?? "auto";
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `stack config avhealth:method must be one of ${METHODS.join(", ")}.`, { details: { setting: "avhealth:method" } });
  }
  const ttlText = config.get("avhealth:cacheTtl");
  const cacheTtlSeconds = ttlText === undefined ? DEFAULT_CACHE_TTL_SECONDS : parseCacheTtl(ttlText);
  if (cacheTtlSeconds === undefined) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `stack config avhealth:cacheTtl must be ${CACHE_TTL_HINT}.`, { details: { setting: "avhealth:cacheTtl" } });
  }
  const filter = config.get("avhealth:filter")?.trim();
  return { method: method as MethodChoice, filter, cacheTtlSeconds };
}

/** The facts of a snapshot the pack took, from its header. */
export function snapshotFacts(header: SnapshotHeader, path: string): KnownSnapshot {
  return {
    digest: header.digest,
    path,
    complete: header.complete,
    incompleteReasons: header.incompleteReasons ?? [],
    deviceCount: header.deviceCount,
    method: header.method,
  };
}

/** The pack's own fleet, reported on the stack resource and named after the tenant. */
export function knownRef(snapshot: KnownSnapshot, tenant: string, stackUrn: string | undefined): FleetRef {
  return { kind: "known", origin: "pack", name: tenant, urn: stackUrn, snapshot };
}

/** The fleet the rules fail closed on, with the typed reason (redacted). */
export function failedRef(error: unknown, tenant: string, stackUrn: string | undefined, what = "the pack could not take its own snapshot"): FleetRef {
  const text = isAvHealthError(error) ? `${error.message} [${error.code}]` : error instanceof Error ? error.message : String(error);
  return { kind: "unknown", origin: "pack", name: tenant, urn: stackUrn, reason: redact(`${what}: ${text}`) };
}

export async function defaultFetch(): Promise<PackFetch> {
  const { fetchSnapshotWithConfig } = await import("../fetch");
  return (options) => fetchSnapshotWithConfig(options);
}
