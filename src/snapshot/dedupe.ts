/**
 * Exact de-duplication without sorting: one open-addressing table over every device of the kept batches, keyed
 * by machineId (a 32-bit key to find the slot, the id's bytes to confirm). Of the devices sharing a machineId
 * the winner is the newest dataRefreshTimestamp, then the highest arrival order; arrival orders are unique and
 * come from where a record sits in its part or page, not from when it was read, so the winner is the same
 * whatever order parts arrive or tables are given in.
 */
import { BLOCK_MASK, BLOCK_SHIFT, cell } from "./columns";
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
  // Views for Buffer.compare, per table and ids block.
  const ids = tables.map((t) => t.ids.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
  let winners = 0;
  tables.forEach((t, ti) => {
    const tIds = ids[ti] as Buffer[];
    for (let r = 0; r < t.rows; r++) {
      const key = cell(t.idKey, r);
      const block = tIds[r >>> BLOCK_SHIFT] as Buffer;
      const start = idStart(t, r);
      const end = cell(t.idEnd, r);
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
        if (cell(o.idKey, or) === key && sameId(block, start, end, ids[other] as Buffer[], o, or)) {
          const newTime = cell(t.time, r);
          const oldTime = cell(o.time, or);
          const wins = newTime > oldTime || (newTime === oldTime && cell(t.order, r) > cell(o.order, or));
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

/** Where a row's id starts in its ids block: where the previous row's ended, or 0 for a block's first row. */
function idStart(t: BatchTable, row: number): number {
  return (row & BLOCK_MASK) === 0 ? 0 : cell(t.idEnd, row - 1);
}

function sameId(a: Buffer, aStart: number, aEnd: number, bIds: readonly Buffer[], b: BatchTable, row: number): boolean {
  const bStart = idStart(b, row);
  const bEnd = cell(b.idEnd, row);
  return aEnd - aStart === bEnd - bStart && a.compare(bIds[row >>> BLOCK_SHIFT] as Buffer, bStart, bEnd, aStart, aEnd) === 0;
}

function markDead(dead: Array<Uint8Array | undefined>, table: number, rows: number): Uint8Array {
  let flags = dead[table];
  if (flags === undefined) {
    flags = new Uint8Array(rows);
    dead[table] = flags;
  }
  return flags;
}
