/**
 * One fetch per cache key, whoever asks: two DeviceAvHealth resources in one provider process, the preview and
 * update passes of one `pulumi up`, several stacks previewed by one CI job, two policy pack processes started at
 * the same moment. Within a process, callers share the pending promise; across processes, a claim file
 * (claim.ts) lets one fetch while the others wait and then read what it stored.
 */
import { tryClaim, waitForRelease, type ClaimTiming } from "./claim";
import type { CachedSnapshot, FetchInto, SnapshotCache } from "./store";

/** How the snapshot was obtained: from the cache, by this call's fetch, or by another process's fetch. */
export type SnapshotOrigin = "cache" | "fetched" | "waited";

export interface SharedSnapshot {
  entry: CachedSnapshot;
  origin: SnapshotOrigin;
}

export interface FetchEvents {
  /** This process starts a fetch. */
  onFetch?(): void;
  /** Another process is fetching the same key; this one waits for it. */
  onWait?(): void;
}

export class SnapshotFetcher {
  private readonly inflight = new Map<string, Promise<SharedSnapshot>>();

  constructor(
    readonly cache: SnapshotCache,
    private readonly timing: ClaimTiming = {},
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get(key: string, ttlSeconds: number, fetchInto: FetchInto, events: FetchEvents = {}): Promise<SharedSnapshot> {
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.obtain(key, ttlSeconds, fetchInto, events);
      this.inflight.set(key, pending);
      const forget = () => this.inflight.delete(key);
      pending.then(forget, forget);
    }
    return pending;
  }

  private async obtain(key: string, ttlSeconds: number, fetchInto: FetchInto, events: FetchEvents): Promise<SharedSnapshot> {
    // Anything stored from now on was fetched for this request too (by another process we waited for).
    const asked = this.clock();
    const hit = await this.cache.lookup(key, ttlSeconds);
    if (hit) return { entry: hit, origin: "cache" };
    // cacheTtl 0 asks for a fetch of our own every time: nothing to share, nothing to wait for.
    if (ttlSeconds <= 0) return this.fetch(key, fetchInto, events);
    const claimFile = await this.cache.claimPath(key);
    let waited = false;
    // Set once another process released its claim in the normal way: only then did it fetch on our behalf.
    let sharedSince: Date | undefined;
    for (;;) {
      const claim = await tryClaim(claimFile, this.timing);
      if (claim) {
        try {
          // The previous holder may have stored the entry between our lookup and our claim.
          const again = await this.cache.lookup(key, ttlSeconds, sharedSince);
          if (again) return { entry: again, origin: sharedSince ? "waited" : "cache" };
          return await this.fetch(key, fetchInto, events);
        } finally {
          await claim.release();
        }
      }
      if (!waited) {
        waited = true;
        events.onWait?.();
      }
      // A stale claim (dead process, impossible record) fetched nothing for us: claim the key ourselves.
      if ((await waitForRelease(claimFile, this.timing)) === "stale") continue;
      sharedSince = asked;
      // What the other process stored, complete or not: both runs then judge the same data.
      const stored = await this.cache.lookup(key, ttlSeconds, asked);
      if (stored) return { entry: stored, origin: "waited" };
    }
  }

  private async fetch(key: string, fetchInto: FetchInto, events: FetchEvents): Promise<SharedSnapshot> {
    events.onFetch?.();
    return { entry: await this.cache.store(key, fetchInto), origin: "fetched" };
  }
}
