/**
 * Exact de-duplication without sorting: one open-addressing table over every device of the kept batches, keyed
 * by machineId (a 32-bit key to find the slot, the id's bytes to confirm). Of the devices sharing a machineId
 * the winner is the newest dataRefreshTimestamp, then the highest arrival order; arrival orders are unique and
 * come from where a record sits in its part or page, not from when it was read, so the winner is the same
 * whatever order parts arrive or tables are given in.
 */
import type { BatchTable } from "./types";

export interface Deduplicated {
  /** Per table (same index), a flag per row: 1 when another device with its machineId won; undefined when none lost. */
  dead: Array<Uint8Array | undefined>;
  /** Devices kept. */
  winners: number;
}

export function deduplicate(tables: readonly BatchTable[]): Deduplicated {
  let total = 0;
  for (const t of tables) total += t.rows;
  const dead: Array<Uint8Array | undefined> = tables.map(() => undefined);
  let capacity = 16;
  while (capacity < total * 2) capacity *= 2;
  const mask = capacity - 1;
  // A slot holds table index and row of the current winner; -1 when empty.
  const slotTable = new Int32Array(capacity).fill(-1);
  const slotRow = new Int32Array(capacity);
  const ids = tables.map((t) => Buffer.from(t.ids.buffer, t.ids.byteOffset, t.ids.byteLength));
  let winners = 0;
  tables.forEach((t, ti) => {
    const tIds = ids[ti] as Buffer;
    for (let r = 0; r < t.rows; r++) {
      const key = t.idKey[r] as number;
      const start = r === 0 ? 0 : (t.idEnd[r - 1] as number);
      const end = t.idEnd[r] as number;
      let s = key & mask;
      for (;;) {
        const other = slotTable[s] as number;
        if (other === -1) {
          slotTable[s] = ti;
          slotRow[s] = r;
          winners++;
          break;
        }
        const o = tables[other] as BatchTable;
        const or = slotRow[s] as number;
        if ((o.idKey[or] as number) === key && sameId(tIds, start, end, ids[other] as Buffer, o, or)) {
          const newTime = t.time[r] as number;
          const oldTime = o.time[or] as number;
          const wins = newTime > oldTime || (newTime === oldTime && (t.order[r] as number) > (o.order[or] as number));
          if (wins) {
            markDead(dead, other, o.rows)[or] = 1;
            slotTable[s] = ti;
            slotRow[s] = r;
          } else {
            markDead(dead, ti, t.rows)[r] = 1;
          }
          break;
        }
        s = (s + 1) & mask;
      }
    }
  });
  return { dead, winners };
}

function sameId(a: Buffer, aStart: number, aEnd: number, bIds: Buffer, b: BatchTable, row: number): boolean {
  const bStart = row === 0 ? 0 : (b.idEnd[row - 1] as number);
  const bEnd = b.idEnd[row] as number;
  return aEnd - aStart === bEnd - bStart && a.compare(bIds, bStart, bEnd, aStart, aEnd) === 0;
}

function markDead(dead: Array<Uint8Array | undefined>, table: number, rows: number): Uint8Array {
  let flags = dead[table];
  if (flags === undefined) {
    flags = new Uint8Array(rows);
    dead[table] = flags;
  }
  return flags;
}
