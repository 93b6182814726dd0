/**
 * A lock file beside the history (`FILE.lock`, created exclusively) for the one write that is not a plain
 * append: cutting off a crash-cut last line. Ordinary appends do not take it (see append.ts). A lock left by
 * a crashed process is taken over once it is older than STALE_MS.
 *
 * Taking over is removal by content, as for cache claims (src/cache/claim.ts): each lock holds a record no
 * other lock has, a waiter removes the lock only if it still holds the text that was judged stale, and then
 * competes with O_EXCL again like everyone else. The compare-and-remove of one stale text runs under a guard
 * file named after that text (also O_EXCL), so two waiters that judged the same lock stale cannot both remove
 * something: the second finds another text (the first one's fresh lock) and leaves it alone.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import { AvHealthError, ErrorCodes } from "../errors";

const STALE_MS = 10_000;
const WAIT_MS = 15_000;
const POLL_MS = 20;

export async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const own = JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now(), token: randomBytes(16).toString("hex") });
  const deadline = Date.now() + WAIT_MS;
  while (!(await create(file, lock, own))) {
    // The text first, then the age: a lock replaced in between shows its own (fresh) age and is left alone.
    const text = await fs.readFile(lock, "utf8").catch(() => undefined);
    const stat = text === undefined ? null : await fs.stat(lock).catch(() => null);
    if (text !== undefined && stat !== null && Date.now() - stat.mtimeMs > STALE_MS) await removeIfStill(lock, text);
    else if (Date.now() > deadline) {
      throw new AvHealthError(ErrorCodes.HISTORY_WRITE_FAILED, `${lock} has been held for ${WAIT_MS / 1000} s; delete it if no avhealth is running`, {
        details: { file },
      });
    } else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    await removeIfStill(lock, own);
  }
}

/**
 * Creates the lock with its whole text, or says it exists: the text goes to a file of a random name that is
 * then hard-linked as the lock (exclusive like O_EXCL), so no waiter ever reads a lock that is still empty.
 */
async function create(file: string, lock: string, text: string): Promise<boolean> {
  const temp = `${lock}.${randomBytes(8).toString("hex")}.tmp`;
  try {
    await fs.writeFile(temp, text, { flag: "wx", mode: 0o600 });
    try {
      await fs.link(temp, lock);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A file system without hard links: an exclusive create, then the text.
      if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") await fs.writeFile(lock, text, { flag: "wx", mode: 0o600 });
      else throw error;
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw writeFailed(file, error);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Removes `lock` if it still holds `text`; the guard makes the look and the removal one step among waiters. */
async function removeIfStill(lock: string, text: string): Promise<void> {
  const guard = `${lock}.takeover-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  try {
    await fs.writeFile(guard, "", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another waiter is removing that text now; a guard left by one that crashed doing so is cleared with age.
    const stat = await fs.stat(guard).catch(() => null);
    if (stat !== null && Date.now() - stat.mtimeMs > STALE_MS) await fs.rm(guard, { force: true });
    return;
  }
  try {
    const current = await fs.readFile(lock, "utf8").catch(() => undefined);
    if (current === text) await fs.rm(lock, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

export function writeFailed(file: string, cause: unknown): AvHealthError {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String((cause as { code: unknown }).code) : "unknown";
  return new AvHealthError(ErrorCodes.HISTORY_WRITE_FAILED, `cannot write the history ${file} (${code}); give a writable path`, {
    cause,
    details: { file, errno: code },
  });
}
