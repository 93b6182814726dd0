/** Reading a snapshot file the plain way, independently of src/snapshot: for tests that check what was written. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** The header line and the device lines in file order. */
export function fileLines(path: string): { header: string; lines: string[] } {
  const text = gunzipSync(readFileSync(path)).toString("utf8");
  if (!text.endsWith("\n")) throw new Error(`${path} does not end with a newline`);
  const [header, ...lines] = text.slice(0, -1).split("\n");
  return { header: header as string, lines };
}

/** The device lines as a set: sorted, so that two snapshots of the same fleet compare equal. */
export function lineSet(path: string): string[] {
  return fileLines(path).lines.sort();
}

/** The schema-2 digest, computed the way the snapshot format documents it (Buffer.compare, not the library's sort). */
export function expectedSetDigest(lines: readonly string[]): string {
  const hashes = lines.map((line) => createHash("sha256").update(line, "utf8").digest()).sort(Buffer.compare);
  return `sha256:${createHash("sha256").update(Buffer.concat(hashes)).digest("hex")}`;
}
