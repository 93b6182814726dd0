/**
 * A claim on one cache key across processes: the process that creates `entries/<key>.claim` (O_EXCL, so exactly
 * one wins) fetches; the others wait until the claim is gone and then read the entry it left. A claim whose
 * process has died on this host (crash, kill -9), or that is older than any fetch can take, is stale and is
 * taken over, so a crashed run never blocks the next one for good; a waiter that took a stale claim over knows
 * that nobody fetched on its behalf.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";

export interface ClaimTiming {
  /** How often a waiting process looks again (default 100 ms). */
  pollMs?: number;
  /** A claim older than this is stale whatever its process (default 30 minutes). */
  staleMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  isAlive?: (pid: number) => boolean;
}

interface ClaimRecord {
  pid: number;
  host: string;
  at: number;
}

export interface Claim {
  release(): Promise<void>;
}

const DEFAULT_POLL_MS = 100;
const DEFAULT_STALE_MS = 30 * 60 * 1000;
const UNREADABLE_GRACE_MS = 5_000;
const FUTURE_GRACE_MS = 2_000;

/** The claim, or undefined when another live process holds it. */
export async function tryClaim(file: string, timing: ClaimTiming = {}): Promise<Claim | undefined> {
  const now = timing.now ?? Date.now;
  const record: ClaimRecord = { pid: process.pid, host: os.hostname(), at: now() };
  try {
    await fs.writeFile(file, JSON.stringify(record), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return undefined;
  }
  return { release: () => fs.rm(file, { force: true }) };
}

/**
 * Resolves once the claim file is gone, or after removing it when it is stale. The caller then looks at the
 * cache again and, finding nothing usable, claims the key itself.
 */
export async function waitForRelease(file: string, timing: ClaimTiming = {}): Promise<"released" | "stale"> {
  const sleep = timing.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = timing.pollMs ?? DEFAULT_POLL_MS;
  for (;;) {
    let text: string;
    let mtimeMs: number;
    try {
      text = await fs.readFile(file, "utf8");
      mtimeMs = (await fs.stat(file)).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "released";
      throw error;
    }
    if (isStale(parseRecord(text), mtimeMs, timing)) {
      // Remove only the claim that was judged stale: a fresh claim written since then has other content.
      const current = await fs.readFile(file, "utf8").catch(() => undefined);
      if (current === text) await fs.rm(file, { force: true });
      return "stale";
    }
    await sleep(pollMs);
  }
}

function parseRecord(text: string): ClaimRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<ClaimRecord>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.at === "number") return value as ClaimRecord;
  } catch {
    // A claim file cut short while being written: judged by its age alone, below.
  }
  return undefined;
}

function isStale(record: ClaimRecord | undefined, mtimeMs: number, timing: ClaimTiming): boolean {
  const now = (timing.now ?? Date.now)();
  // Its writer died between open and write, or is still writing: give it a few seconds.
  if (record === undefined) return Date.now() - mtimeMs > UNREADABLE_GRACE_MS;
  // A claim made in the future, or by no possible process, cannot be right (a cache directory is not trusted).
  if (record.at > now + FUTURE_GRACE_MS || !Number.isSafeInteger(record.pid) || record.pid <= 0) return true;
  if (now - record.at > (timing.staleMs ?? DEFAULT_STALE_MS)) return true;
  if (record.host !== os.hostname()) return false;
  return !(timing.isAlive ?? processIsAlive)(record.pid);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
