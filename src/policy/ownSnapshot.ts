/**
 * The snapshot the pack takes itself, for stacks without a DeviceAvHealth resource (any language) and for every
 * stack when the rule file pins the fleet. Connection and credentials are read as the provider reads them
 * (stack config `avhealth:*`, secrets decrypted, then the AZURE_* / AVHEALTH_* environment), or from the pins;
 * the fetch goes through the same on-disk cache, so the two passes of one `pulumi up` and every stack of one CI
 * job fetch once per tenant within cacheTtl. Every failure becomes a fleet the rules fail closed on.
 */
import { cacheKey, DEFAULT_CACHE_TTL_SECONDS, parseCacheTtl, CACHE_TTL_HINT, SnapshotCache, SnapshotFetcher, type CachedSnapshot } from "../cache";
import { allowedApiUrls, pinnedOverrides } from "../config/pins";
import { describeConnection, resolveConnection } from "../config/resolve";
import { connectionOverrides, stackConfigFromEnv, type StackConfigSource } from "../config/stack-config";
import type { ConnectionOverrides, FleetPins } from "../config/types";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import type { FetchSnapshotOptions, FetchSnapshotResult, MethodChoice } from "../fetch/types";
import { redact } from "../util/redact";
import type { Env, FleetRef } from "./types";

export type PackFetch = (options: FetchSnapshotOptions & { overrides: ConnectionOverrides; env: Env }) => Promise<FetchSnapshotResult>;

export interface OwnSnapshotOptions {
  env: Env;
  /** The rule file's settings.fleet, or null. */
  pins: FleetPins | null;
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
  const fetcher = new SnapshotFetcher(new SnapshotCache(options.cacheDir, clock), {}, clock);
  const log = options.log ?? (() => undefined);
  const config = stackConfigFromEnv(options.env);

  return async (stackUrn) => {
    let tenant = "";
    try {
      const settings = readSettings(config, options.pins);
      const overrides = options.pins ? pinnedOverrides(options.pins, config, options.env) : connectionOverrides(config);
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
      if (options.pins) checkAgainstPins(entry, options.pins);
      return knownRef(entry, tenant, stackUrn);
    } catch (error) {
      const text = isAvHealthError(error) ? `${error.message} [${error.code}]` : error instanceof Error ? error.message : String(error);
      return { kind: "unknown", origin: "pack", name: tenant, urn: stackUrn, reason: redact(`the pack could not take its own snapshot: ${text}`) };
    }
  };
}

interface OwnSettings {
  method: MethodChoice;
  filter: string | undefined;
  cacheTtlSeconds: number;
}

/** `avhealth:method`, `avhealth:filter` and `avhealth:cacheTtl`; a pinned fleet may not be narrowed by a filter. */
function readSettings(config: StackConfigSource, pins: FleetPins | null): OwnSettings {
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
  if (filter !== undefined && pins) {
    throw new AvHealthError(
      ErrorCodes.FLEET_PIN_MISMATCH,
      "The rule file pins the fleet (settings.fleet), and stack config avhealth:filter would narrow it: a pinned gate always judges the whole tenant. Remove avhealth:filter from the stack's config.",
      { details: { setting: "avhealth:filter" } },
    );
  }
  return { method: method as MethodChoice, filter, cacheTtlSeconds };
}

/** The cache is keyed by the pinned connection already; this guards against an entry that says otherwise. */
function checkAgainstPins(entry: CachedSnapshot, pins: FleetPins): void {
  const { tenantId, apiUrl } = entry.header.source;
  const tenantOk = typeof tenantId === "string" && tenantId.toLowerCase() === pins.tenantId.toLowerCase();
  const apiOk = typeof apiUrl === "string" && allowedApiUrls(pins).has(apiUrl.toLowerCase());
  if (!tenantOk || !apiOk) {
    throw new AvHealthError(
      ErrorCodes.FLEET_PIN_MISMATCH,
      `The cached snapshot ${entry.header.digest.slice(0, 19)}… does not come from the pinned tenant and API; delete the avhealth cache directory and run again.`,
    );
  }
}

function knownRef(entry: CachedSnapshot, tenant: string, stackUrn: string | undefined): FleetRef {
  const { header } = entry;
  return {
    kind: "known",
    origin: "pack",
    name: tenant,
    urn: stackUrn,
    snapshot: {
      digest: header.digest,
      path: entry.path,
      complete: header.complete,
      incompleteReasons: header.incompleteReasons ?? [],
      deviceCount: header.deviceCount,
      method: header.method,
    },
  };
}

async function defaultFetch(): Promise<PackFetch> {
  const { fetchSnapshotWithConfig } = await import("../fetch");
  return (options) => fetchSnapshotWithConfig(options);
}
