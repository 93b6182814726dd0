/**
 * Where fetched snapshots live on this machine, for the DeviceAvHealth provider and the policy pack alike.
 * Snapshot files are named by their digest, so the pack can find the snapshot a resource describes even when
 * state was written on another machine (CI runner vs laptop): the `check` of the current run fetched (or reused)
 * the same digest into this directory.
 */
import * as os from "node:os";
import * as path from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

export function defaultCacheDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  const explicit = env.AVHEALTH_CACHE_DIR;
  if (explicit) return path.resolve(explicit);
  if (platform === "win32") return path.join(env.LOCALAPPDATA || path.join(home, "AppData", "Local"), "avhealth", "cache");
  if (platform === "darwin") return path.join(home, "Library", "Caches", "avhealth");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "avhealth");
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** The cache's file for a digest, or undefined when the digest is not a well-formed sha256 (never a path from input). */
export function cachedSnapshotPath(cacheDir: string, digest: string): string | undefined {
  const match = DIGEST.exec(digest);
  return match ? path.join(cacheDir, "snapshots", `${match[1]}.ndjson.gz`) : undefined;
}
