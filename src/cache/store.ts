/**
 * The fetch cache: one entry per connection + method + filter (see cacheKey), pointing at a content-addressed
 * snapshot file. It lets the preview and update passes of one `pulumi up` (two provider processes) share one
 * fetch, and keeps the snapshot on disk for the policy pack. Incomplete snapshots are stored (the pack needs them
 * to fail closed) but never reused: the next run fetches again.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { FetchSnapshotResult } from "../fetch/types";
import type { SnapshotHeader, SnapshotSummary } from "../snapshot/types";
import { cachedSnapshotPath } from "./dir";

export interface CachedSnapshot {
  header: SnapshotHeader;
  summary: SnapshotSummary;
  /** Absolute path of the content-addressed snapshot file. */
  path: string;
  /** When this entry was written; the TTL counts from here. */
  storedAt: string;
}

/** Takes a snapshot into the given path (the real one is fetchSnapshotWithConfig). */
export type FetchInto = (outPath: string) => Promise<FetchSnapshotResult>;

/** Files nobody references are removed after this long (a concurrent run may still be reading them). */
const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

/** Processes on one machine share its clock; this much is allowed for writes racing a reader's clock call. */
const CLOCK_SKEW_MS = 2_000;

export class SnapshotCache {
  /** storedAt values already warned about: one warning per planted entry, however often it is looked up. */
  private readonly distrusted = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly clock: () => Date = () => new Date(),
    /** Told when an entry is distrusted (a cache directory is not trusted input). */
    private readonly warn: (warning: string) => void = () => undefined,
  ) {}

  /**
   * The entry for key when it is complete and younger than ttlSeconds. With `storedSince`, also an incomplete
   * one stored between that time and now: the fetch another process just made on our behalf, good or bad.
   * An entry that claims to be stored in the future cannot be right and is never used.
   */
  async lookup(key: string, ttlSeconds: number, storedSince?: Date): Promise<CachedSnapshot | undefined> {
    const entry = await this.readEntry(key);
    if (!entry) return undefined;
    const storedAt = Date.parse(entry.storedAt);
    const now = this.clock().getTime();
    if (!Number.isFinite(storedAt) || storedAt > now + CLOCK_SKEW_MS) {
      if (this.distrusted.has(entry.storedAt)) return undefined;
      this.distrusted.add(entry.storedAt);
      this.warn(
        `the cache entry ${key.slice(0, 12)}… in ${this.dir} says it was stored at ${JSON.stringify(entry.storedAt.slice(0, 40))}, ` +
          "which is not a past time: it is not trusted, and the snapshot is fetched again",
      );
      return undefined;
    }
    const fresh = storedSince !== undefined && storedAt >= storedSince.getTime();
    if (!fresh) {
      if (ttlSeconds <= 0 || !entry.header.complete) return undefined;
      const age = now - storedAt;
      if (!(age >= 0 && age <= ttlSeconds * 1000)) return undefined;
    }
    try {
      await fs.access(entry.path);
    } catch {
      return undefined;
    }
    return entry;
  }

  async store(key: string, fetchInto: FetchInto): Promise<CachedSnapshot> {
    const snapshots = path.join(this.dir, "snapshots");
    await fs.mkdir(snapshots, { recursive: true, mode: 0o700 });
    await fs.mkdir(path.join(this.dir, "entries"), { recursive: true, mode: 0o700 });
    const tmp = path.join(snapshots, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}.ndjson.gz`);
    let result: FetchSnapshotResult;
    try {
      result = await fetchInto(tmp);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
    const final = cachedSnapshotPath(this.dir, result.header.digest);
    if (final === undefined) {
      await fs.rm(result.path, { force: true });
      throw new Error(`the fetch produced a snapshot with a malformed digest (${JSON.stringify(result.header.digest.slice(0, 80))})`);
    }
    // Device names are inventory data: readable by this user only.
    await fs.chmod(result.path, 0o600);
    await fs.rename(result.path, final);
    const entry: CachedSnapshot = { header: result.header, summary: result.summary, path: final, storedAt: this.clock().toISOString() };
    await writeAtomically(this.entryPath(key), `${JSON.stringify(entry)}\n`);
    await this.prune();
    return entry;
  }

  /** The file that marks a fetch for key in progress (see claim.ts). */
  async claimPath(key: string): Promise<string> {
    await fs.mkdir(path.join(this.dir, "entries"), { recursive: true, mode: 0o700 });
    return `${this.entryPath(key).slice(0, -".json".length)}.claim`;
  }

  private entryPath(key: string): string {
    if (!/^[0-9a-f]{8,64}$/.test(key)) throw new Error(`invalid cache key ${JSON.stringify(key)}`);
    return path.join(this.dir, "entries", `${key}.json`);
  }

  private async readEntry(key: string): Promise<CachedSnapshot | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.entryPath(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(text);
      return isEntry(value, this.dir) ? value : undefined;
    } catch {
      // A torn or foreign file is a cache miss, never an error: the fetch simply runs.
      return undefined;
    }
  }

  /** Removes snapshot files that no entry references once they are old enough, and stale temporary files. */
  private async prune(): Promise<void> {
    const referenced = new Set<string>();
    const entriesDir = path.join(this.dir, "entries");
    for (const name of await fs.readdir(entriesDir)) {
      if (!name.endsWith(".json")) continue;
      const entry = await this.readEntry(name.slice(0, -5));
      if (entry) referenced.add(entry.path);
    }
    const snapshots = path.join(this.dir, "snapshots");
    const cutoff = this.clock().getTime() - ORPHAN_AGE_MS;
    for (const name of await fs.readdir(snapshots)) {
      const file = path.join(snapshots, name);
      if (referenced.has(file)) continue;
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
    }
  }
}

function isEntry(value: unknown, dir: string): value is CachedSnapshot {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Partial<CachedSnapshot>;
  return (
    typeof entry.storedAt === "string" &&
    typeof entry.path === "string" &&
    typeof entry.header === "object" &&
    entry.header !== null &&
    typeof entry.header.digest === "string" &&
    typeof entry.summary === "object" &&
    entry.summary !== null &&
    // Only files of this cache, at the place their digest names.
    entry.path === cachedSnapshotPath(dir, entry.header.digest)
  );
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  await fs.rename(tmp, file);
}
