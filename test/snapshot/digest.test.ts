/** setDigest must be sha256 over the byte-sorted 32-byte hashes, whatever the order they come in. */
import { createHash } from "node:crypto";
import { hasRepeatedHash, setDigest } from "../../src/snapshot/digest";

function records(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n * 32);
  for (let i = 0; i < n; i++) createHash("sha256").update(`${seed}-${i}`).digest().copy(out, i * 32);
  return out;
}

function reference(hashes: Buffer, n: number): string {
  const list = Array.from({ length: n }, (_, i) => hashes.subarray(i * 32, i * 32 + 32)).sort(Buffer.compare);
  return `sha256:${createHash("sha256").update(Buffer.concat(list)).digest("hex")}`;
}

describe("setDigest", () => {
  it.each([0, 1, 2, 5000])("matches the plain definition for %i hashes, and sorts them in place", (n) => {
    const hashes = records(n, n);
    // Records that agree on their first 6 bytes (bucket and key) and differ after: the full comparison decides.
    if (n >= 5000) for (const i of [10, 20, 30]) hashes.copy(hashes, i * 32, 0, 6);
    const want = reference(Buffer.from(hashes), n);
    expect(setDigest(hashes, n)).toBe(want);
    const sorted = Array.from({ length: n }, (_, i) => hashes.subarray(i * 32, i * 32 + 32));
    expect(sorted.every((h, i) => i === 0 || Buffer.compare(sorted[i - 1] as Buffer, h) <= 0)).toBe(true);
    expect(hasRepeatedHash(hashes, n)).toBe(false);
  });

  it("is the same for any order of the same hashes, and sees a repeated one", () => {
    const a = records(300, 9);
    const reversed = Buffer.concat(Array.from({ length: 300 }, (_, i) => a.subarray((299 - i) * 32, (300 - i) * 32)));
    expect(setDigest(Buffer.from(reversed), 300)).toBe(setDigest(Buffer.from(a), 300));
    const twice = Buffer.concat([a, a.subarray(0, 32)]);
    setDigest(twice, 301);
    expect(hasRepeatedHash(twice, 301)).toBe(true);
  });
});
