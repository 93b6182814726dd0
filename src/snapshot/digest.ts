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
 * Sorts 32-byte records in place. sha256 output is uniform, so a counting sort on the first two bytes leaves a
 * handful per bucket; inside a bucket, records are ordered by the next four bytes (a number, so no byte loop),
 * and only records equal that far are compared in full. The records move once, as 32-bit words.
 */
function sortHashes(hashes: Buffer, count: number): Buffer {
  if (count < 2) return hashes;
  const aligned = hashes.byteOffset % 4 === 0 ? hashes : Buffer.from(hashes);
  const BUCKETS = 65536;
  const starts = new Uint32Array(BUCKETS + 1);
  for (let i = 0; i < count; i++) {
    const at = i * HASH_BYTES;
    starts[(((aligned[at] as number) << 8) | (aligned[at + 1] as number)) + 1] += 1;
  }
  for (let b = 0; b < BUCKETS; b++) starts[b + 1] += starts[b] as number;
  const fill = starts.slice(0, BUCKETS);
  const perm = new Uint32Array(count);
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * HASH_BYTES;
    const b = ((aligned[at] as number) << 8) | (aligned[at + 1] as number);
    const pos = fill[b] as number;
    fill[b] = pos + 1;
    perm[pos] = i;
    keys[pos] = (((aligned[at + 2] as number) << 24) | ((aligned[at + 3] as number) << 16) | ((aligned[at + 4] as number) << 8) | (aligned[at + 5] as number)) >>> 0;
  }
  for (let b = 0; b < BUCKETS; b++) {
    const lo = starts[b] as number;
    const hi = starts[b + 1] as number;
    for (let i = lo + 1; i < hi; i++) {
      const key = keys[i] as number;
      const index = perm[i] as number;
      let j = i - 1;
      while (j >= lo && after(aligned, keys[j] as number, perm[j] as number, key, index)) {
        keys[j + 1] = keys[j] as number;
        perm[j + 1] = perm[j] as number;
        j--;
      }
      keys[j + 1] = key;
      perm[j + 1] = index;
    }
  }
  const words = HASH_BYTES / 4;
  const from = new Uint32Array(aligned.buffer, aligned.byteOffset, count * words);
  const to = new Uint32Array(count * words);
  for (let pos = 0; pos < count; pos++) {
    const s = (perm[pos] as number) * words;
    const d = pos * words;
    for (let k = 0; k < words; k++) to[d + k] = from[s + k] as number;
  }
  hashes.set(new Uint8Array(to.buffer));
  return hashes;
}

/** Whether record a (with key aKey) sorts after record b (bKey): by key, then byte by byte. */
function after(buf: Buffer, aKey: number, a: number, bKey: number, b: number): boolean {
  if (aKey !== bKey) return aKey > bKey;
  return compareAt(buf, a * HASH_BYTES, b * HASH_BYTES) > 0;
}

function compareAt(buf: Buffer, a: number, b: number): number {
  for (let k = 0; k < HASH_BYTES; k++) {
    const d = (buf[a + k] as number) - (buf[b + k] as number);
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
