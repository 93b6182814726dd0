/**
 * machineId → device index for a baseline's devices, as an open-addressing table of 32-bit slots over the ids
 * array itself. A Map of a million string keys costs about 30 MB beside the strings; this costs 4 to 8 bytes a
 * device. Lookups hash the whole id (FNV-1a over UTF-16 code units) and compare strings only on a slot match.
 */
export interface DeviceLookup {
  get(machineId: string): number | undefined;
}

const EMPTY = -1;

function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) >>> 0;
}

export class IdIndex implements DeviceLookup {
  private slots = new Int32Array(1024).fill(EMPTY);
  private mask = 1023;

  /** `ids` is the array the indexes point into; add() appends to it. */
  constructor(private readonly ids: string[]) {
    for (let i = 0; i < ids.length; i++) this.place(ids[i] as string, i);
  }

  get(machineId: string): number | undefined {
    for (let s = hash(machineId) & this.mask; ; s = (s + 1) & this.mask) {
      const index = this.slots[s] as number;
      if (index === EMPTY) return undefined;
      if (this.ids[index] === machineId) return index;
    }
  }

  /** Appends a machineId that get() does not find; returns its index. */
  add(machineId: string): number {
    const index = this.ids.push(machineId) - 1;
    this.place(machineId, index);
    return index;
  }

  private place(machineId: string, index: number): void {
    // At most half full, so probe runs stay short.
    if ((index + 1) * 2 > this.slots.length) this.grow();
    let s = hash(machineId) & this.mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[s] = index;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    this.mask = this.slots.length - 1;
    for (let s = 0; s < old.length; s++) {
      const index = old[s] as number;
      if (index === EMPTY) continue;
      let t = hash(this.ids[index] as string) & this.mask;
      while (this.slots[t] !== EMPTY) t = (t + 1) & this.mask;
      this.slots[t] = index;
    }
  }
}
