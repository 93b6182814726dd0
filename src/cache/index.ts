/** The on-disk snapshot cache shared by the DeviceAvHealth provider and the policy pack. */
export { defaultCacheDir, cachedSnapshotPath } from "./dir";
export { SnapshotCache, type CachedSnapshot, type FetchInto } from "./store";
export { SnapshotFetcher, type FetchEvents, type SharedSnapshot, type SnapshotOrigin } from "./fetcher";
export { cacheKey, type CachedFetchSettings } from "./key";
export type { ClaimTiming } from "./claim";
export { parseCacheTtl, DEFAULT_CACHE_TTL_SECONDS, MAX_CACHE_TTL_SECONDS, CACHE_TTL_HINT } from "./ttl";
