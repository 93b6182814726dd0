/**
 * Exact de-duplication without sorting: one open-addressing table over every device of the kept batches, keyed
 * by machineId (a 32-bit key to find the slot, a 64-bit fingerprint to find candidates, the id itself, read
 * back from the lines, to confirm: the tables keep 8 bytes per id instead of its ~40). Of the devices sharing a machineId
 * the winner is the newest dataRefreshTimestamp, then the highest arrival order; arrival orders are unique and
 * come from where a record sits in its part or page, not from when it was read, so the winner is the same
 * whatever order parts arrive or tables are given in.
 */
import { cell } from "./columns";
import type { BatchTable } from "./types";

export interface Deduplicated {
  /** Per table (same index), a flag per row: 1 when another device with its machineId won; undefined when none lost. */
  dead: Array<Uint8Array | undefined>;
  /** Devices kept. */
  winners: number;
}

/**
 * `idOf` gives the machineId of a table's row; it is asked only when two rows' 64-bit fingerprints are equal
 * (the fetch reads it from the row's line: member-lines.ts).
 */
export function deduplicate(tables: readonly BatchTable[], idOf: (table: number, row: number) => string): Deduplicated {
  let total = 0;
  for (const t of tables) total += t.rows;
  const dead: Array<Uint8Array | undefined> = tables.map(() => undefined);
  let capacity = 16;
  while (capacity < total * 2) capacity *= 2;
  const mask = capacity - 1;
  // A slot holds table index and row of the current winner; -1 when empty.
  const slotTable = new Int32Array(capacity).fill(-1);
  const slotRow = new Int32Array(capacity);
  let winners = 0;
  tables.forEach((t, ti) => {
    for (let r = 0; r < t.rows; r++) {
      const key = cell(t.idKey, r);
      const check = cell(t.idCheck, r);
      // Read only on a fingerprint match, then kept for the rest of the probe.
      let id: string | undefined;
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
        if (cell(o.idKey, or) === key && cell(o.idCheck, or) === check && (id ??= idOf(ti, r)) === idOf(other, or)) {
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

function markDead(dead: Array<Uint8Array | undefined>, table: number, rows: number): Uint8Array {
  let flags = dead[table];
  if (flags === undefined) {
    flags = new Uint8Array(rows);
    dead[table] = flags;
  }
  return flags;
}
