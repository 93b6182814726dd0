/**
 * A lock file beside the history (`FILE.lock`, created exclusively) for the one write that is not a plain
 * append: cutting off a crash-cut last line. Ordinary appends do not take it (see append.ts). A lock left by
 * a crashed process is taken over once it is older than STALE_MS.
 */
import { promises as fs } from "node:fs";
import { AvHealthError, ErrorCodes } from "../errors";

const STALE_MS = 10_000;
const WAIT_MS = 15_000;
const POLL_MS = 20;

export async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await (await fs.open(lock, "wx")).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw writeFailed(file, error);
      const stat = await fs.stat(lock).catch(() => null);
      if (stat !== null && Date.now() - stat.mtimeMs > STALE_MS) await fs.rm(lock, { force: true });
      else if (Date.now() > deadline) {
        throw new AvHealthError(ErrorCodes.HISTORY_WRITE_FAILED, `${lock} has been held for ${WAIT_MS / 1000} s; delete it if no avhealth is running`, {
          details: { file },
        });
      } else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

export function writeFailed(file: string, cause: unknown): AvHealthError {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String((cause as { code: unknown }).code) : "unknown";
  return new AvHealthError(ErrorCodes.HISTORY_WRITE_FAILED, `cannot write the history ${file} (${code}); give a writable path`, {
    cause,
    details: { file, errno: code },
  });
}
