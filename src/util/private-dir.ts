/**
 * A temporary directory for files that list devices (snapshots): readable by this user only, and removed when
 * the process exits, so no inventory is left behind in the shared temp directory.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function privateTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o700);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
