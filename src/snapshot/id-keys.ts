/**
 * Checking that no machineId has two lines, in a file whose lines are in any order, without keeping every id:
 * each id is reduced to a 53-bit key (two 32-bit FNV-1a hashes), the keys are sorted, and only when two keys
 * are equal is the file read again to compare the ids that have those keys. So the answer is exact, and the
 * memory is 8 bytes per device.
 */
import { idCheck, idKey } from "./segment";

export class IdKeys {
  private keys = new Float64Array(1024);
  private count = 0;

  /** `key` is replaceable so that tests can force collisions. */
  constructor(private readonly key: (id: string) => number = keyOf) {}

  add(id: string): void {
    if (this.count === this.keys.length) {
      const bigger = new Float64Array(this.keys.length * 2);
      bigger.set(this.keys);
      this.keys = bigger;
    }
    this.keys[this.count++] = this.key(id);
  }

  /** The first id with two lines, or undefined; `ids` reads the ids again, only when two keys collide. */
  async firstRepeated(ids: () => AsyncIterable<string>): Promise<string | undefined> {
    const sorted = this.keys.subarray(0, this.count).sort();
    const suspects = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) suspects.add(sorted[i] as number);
    if (suspects.size === 0) return undefined;
    const seen = new Set<string>();
    for await (const id of ids()) {
      if (!suspects.has(this.key(id))) continue;
      if (seen.has(id)) return id;
      seen.add(id);
    }
    return undefined;
  }
}

function keyOf(id: string): number {
  // 32 bits of one hash and 21 of another (seeded differently): an exact integer in a double.
  return idKey(id) * 2 ** 21 + (idCheck(id) & 0x1fffff);
}
