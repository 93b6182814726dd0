/**
 * The digest of a schema-2 snapshot: a pure function of the SET of device lines, so that the same fleet gives
 * the same digest whatever the order the lines were written in (part arrival, worker count, method):
 *
 *   digest = "sha256:" + hex(sha256(h(1) ‖ h(2) ‖ … ‖ h(n)))
 *
 * where h(i) is the 32-byte sha256 of device line i's UTF-8 bytes (without its newline) and h(1) ≤ … ≤ h(n) in
 * unsigned byte order. No lines give the sha256 of nothing. Schema-1 snapshots keep theirs: the sha256 of the
 * sorted lines, each followed by "\n" (reader.ts).
 */
import { createHash, hash as oneShotHash } from "node:crypto";

export const HASH_BYTES = 32;

/** The 32-byte sha256 of one device line's bytes. */
export function lineHash(bytes: Uint8Array): Buffer {
  return oneShotHash("sha256", bytes, "buffer") as unknown as Buffer;
}

/** The schema-2 digest of `count` line hashes held back to back in `hashes` (sorted here, in place). */
export function setDigest(hashes: Buffer, count: number): string {
  const sorted = sortHashes(hashes.subarray(0, count * HASH_BYTES), count);
  return `sha256:${createHash("sha256").update(sorted).digest("hex")}`;
}

/**
 * Whether two adjacent hashes of a sorted list are equal: the same line twice. Only meaningful after setDigest
 * (which sorts); used by the reader.
 */
export function hasRepeatedHash(sorted: Buffer, count: number): boolean {
  for (let i = 1; i < count; i++) {
    if (compareAt(sorted, (i - 1) * HASH_BYTES, i * HASH_BYTES) === 0) return true;
  }
  return false;
}

/**
 * Sorts 32-byte records: a counting sort on the first two bytes (sha256 output is uniform, so buckets hold a
 * handful each), then an insertion sort inside each bucket. Sorts into a scratch buffer and copies the result
 * back, so the caller's buffer ends up sorted.
 */
function sortHashes(hashes: Buffer, count: number): Buffer {
  if (count < 2) return hashes;
  const BUCKETS = 65536;
  const starts = new Uint32Array(BUCKETS + 1);
  for (let i = 0; i < count; i++) {
    const at = i * HASH_BYTES;
    starts[((hashes[at] as number) << 8) | (hashes[at + 1] as number)] += 1;
  }
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const n = starts[b] as number;
    starts[b] = sum;
    sum += n;
  }
  starts[BUCKETS] = sum;
  const out = Buffer.allocUnsafeSlow(count * HASH_BYTES);
  const fill = starts.slice(0, BUCKETS);
  for (let i = 0; i < count; i++) {
    const at = i * HASH_BYTES;
    const b = ((hashes[at] as number) << 8) | (hashes[at + 1] as number);
    const to = (fill[b] as number) * HASH_BYTES;
    fill[b] += 1;
    hashes.copy(out, to, at, at + HASH_BYTES);
  }
  const tmp = Buffer.allocUnsafe(HASH_BYTES);
  for (let b = 0; b < BUCKETS; b++) {
    const lo = starts[b] as number;
    const hi = starts[b + 1] as number;
    for (let i = lo + 1; i < hi; i++) {
      if (compareAt(out, (i - 1) * HASH_BYTES, i * HASH_BYTES) <= 0) continue;
      out.copy(tmp, 0, i * HASH_BYTES, (i + 1) * HASH_BYTES);
      let j = i - 1;
      while (j >= lo && compareWith(out, j * HASH_BYTES, tmp) > 0) {
        out.copy(out, (j + 1) * HASH_BYTES, j * HASH_BYTES, (j + 1) * HASH_BYTES);
        j--;
      }
      tmp.copy(out, (j + 1) * HASH_BYTES);
    }
  }
  out.copy(hashes);
  return hashes;
}

function compareAt(buf: Buffer, a: number, b: number): number {
  for (let k = 0; k < HASH_BYTES; k++) {
    const d = (buf[a + k] as number) - (buf[b + k] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function compareWith(buf: Buffer, a: number, other: Buffer): number {
  for (let k = 0; k < HASH_BYTES; k++) {
    const d = (buf[a + k] as number) - (other[k] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** A growing list of line hashes (the reader collects one per line). */
export class HashList {
  private bytes = Buffer.allocUnsafeSlow(HASH_BYTES * 1024);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_BYTES > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(this.bytes.length * 2);
      this.bytes.copy(bigger, 0, 0, this.count * HASH_BYTES);
      this.bytes = bigger;
    }
    this.bytes.set(hash, this.count * HASH_BYTES);
    this.count++;
  }

  get buffer(): Buffer {
    return this.bytes;
  }
}
