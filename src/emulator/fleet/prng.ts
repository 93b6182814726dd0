/**
 * Seeded randomness, addressable by index: every device (and every %P fault decision) gets its own small sfc32
 * stream keyed by (seed, index), so device 999,999 is computed without generating the 999,999 before it and the
 * same seed always gives the same fleet. Math.random is never used.
 */
import { createHash } from "node:crypto";

export type SeedWords = readonly [number, number, number, number];

/** Four 32-bit words from any seed string (SHA-256, once per fleet). */
export function seedWords(seed: string): SeedWords {
  const digest = createHash("sha256").update(`avhealth-emulator:${seed}`).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The stream for `index` under `seed`; `salt` separates unrelated uses of the same index. */
  constructor(seed: SeedWords, index: number, salt = 0) {
    this.a = seed[0] ^ salt;
    this.b = seed[1] ^ Math.floor(index / 0x100000000);
    this.c = (seed[2] ^ index) >>> 0;
    this.d = seed[3];
    // sfc32 needs a few rounds before nearby states (consecutive indexes) decorrelate.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  /** Picks by weight from [value, weight] pairs. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of table) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = table[table.length - 1];
    if (last === undefined) throw new RangeError("weighted pick from an empty table");
    return last[0];
  }

  hex(chars: number): string {
    let out = "";
    while (out.length < chars) out += this.nextUint32().toString(16).padStart(8, "0");
    return out.slice(0, chars);
  }

  /** A version-4-shaped GUID from this stream. */
  guid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16] ?? "0", 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
