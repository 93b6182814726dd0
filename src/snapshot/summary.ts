/**
 * Snapshot summary counts, computed at finish from the de-duplicated device tables. Every device is reduced on
 * arrival to a "profile" (the handful of values the summary counts); equal profiles share one index, so a table
 * row carries a small integer and the winners are counted without parsing their lines again.
 */
import { AV_MODES, type NormalizedDevice } from "../model/device";
import type { SnapshotSummary, TriStateCounts } from "./types";

const STALE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** Summary key for a device without an OS kind or an RBAC group. */
export const NONE_KEY = "(none)";

export type Profile = [avMode: string, sig: boolean | null, eng: boolean | null, plat: boolean | null, os: string, group: string, stale: boolean];

export class SummaryCounter {
  /** Profile index by numeric key: the small fixed values and the indexes of the two free-text parts. */
  private readonly index = new Map<number, number>();
  private readonly osIndex = new Map<string, number>();
  private readonly groupIndex = new Map<string, number>();
  private readonly profiles: Profile[] = [];
  private counts: number[] = [];
  private readonly cutoff: string;

  constructor(fetchedAt: Date) {
    // Times in devices are canonical toISOString() values, so string order is time order.
    this.cutoff = new Date(fetchedAt.getTime() - STALE_AFTER_MS).toISOString();
  }

  /** The profile index of a device (registering the profile the first time it is seen). */
  profileOf(d: NormalizedDevice): number {
    const basis = d.dataRefreshTimestamp ?? d.lastSeenTime;
    const profile: Profile = [
      d.avMode,
      d.avIsSignatureUpToDate,
      d.avIsEngineUpToDate,
      d.avIsPlatformUpToDate,
      d.osKind ?? NONE_KEY,
      d.rbacGroupName ?? (d.rbacGroupId === null ? NONE_KEY : String(d.rbacGroupId)),
      basis === null || basis < this.cutoff,
    ];
    return this.register(profile);
  }

  /**
   * The index of a profile, registering it the first time. Profiles counted elsewhere (a worker thread's own
   * counter) come back through here, so that the writer counts them under this counter's indexes.
   */
  register(profile: Profile): number {
    // 6 modes x 3 x 3 x 3 tri-states x 2 stale = 324 combinations of the fixed parts.
    let fixed = MODE_INDEX.get(profile[0]) ?? 0;
    fixed = fixed * 3 + tri3(profile[1]);
    fixed = fixed * 3 + tri3(profile[2]);
    fixed = fixed * 3 + tri3(profile[3]);
    fixed = fixed * 2 + (profile[6] ? 1 : 0);
    const key = fixed + 324 * (indexOf(this.osIndex, profile[4]) + 1_048_576 * indexOf(this.groupIndex, profile[5]));
    let found = this.index.get(key);
    if (found === undefined) {
      found = this.profiles.length;
      this.profiles.push(profile);
      this.index.set(key, found);
    }
    return found;
  }

  /** Every profile registered so far, by index. */
  get registered(): readonly Profile[] {
    return this.profiles;
  }

  count(profile: number): void {
    this.counts[profile] = (this.counts[profile] ?? 0) + 1;
  }

  finish(): SnapshotSummary {
    const byAvMode: Record<string, number> = Object.fromEntries(AV_MODES.map((m) => [m, 0]));
    const sig = tri();
    const eng = tri();
    const plat = tri();
    const byOs = new Map<string, number>();
    const byGroup = new Map<string, number>();
    let deviceCount = 0;
    let stale = 0;
    this.profiles.forEach((p, i) => {
      const n = this.counts[i] ?? 0;
      if (n === 0) return;
      deviceCount += n;
      byAvMode[p[0]] = (byAvMode[p[0]] ?? 0) + n;
      addTri(sig, p[1], n);
      addTri(eng, p[2], n);
      addTri(plat, p[3], n);
      byOs.set(p[4], (byOs.get(p[4]) ?? 0) + n);
      byGroup.set(p[5], (byGroup.get(p[5]) ?? 0) + n);
      if (p[6]) stale += n;
    });
    return {
      deviceCount,
      byAvMode,
      bySignatureUpToDate: sig,
      byEngineUpToDate: eng,
      byPlatformUpToDate: plat,
      byOsKind: sorted(byOs),
      byRbacGroup: sorted(byGroup),
      stale,
    };
  }
}

const MODE_INDEX: ReadonlyMap<string, number> = new Map(AV_MODES.map((mode, i) => [mode, i]));

function tri3(value: boolean | null): number {
  return value === true ? 1 : value === false ? 2 : 0;
}

function indexOf(map: Map<string, number>, value: string): number {
  let found = map.get(value);
  if (found === undefined) {
    found = map.size;
    map.set(value, found);
  }
  return found;
}

function tri(): TriStateCounts {
  return { true: 0, false: 0, unknown: 0 };
}

function addTri(counts: TriStateCounts, value: boolean | null, n: number): void {
  if (value === true) counts.true += n;
  else if (value === false) counts.false += n;
  else counts.unknown += n;
}

/**
 * Keys in code-unit order, so that the same fleet gives the same summary object. Keys are device-supplied, so
 * they are defined as own properties (a group named "__proto__" must not become the object's prototype).
 */
function sorted(map: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) {
    Object.defineProperty(out, key, { value: map.get(key), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
