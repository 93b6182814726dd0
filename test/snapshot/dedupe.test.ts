/**
 * deduplicate: exact on machineId (an equal 64-bit fingerprint is not enough: the ids are compared), the same
 * winners whatever the table order.
 */
import { BLOCK_ROWS, columnOf } from "../../src/snapshot/columns";
import { deduplicate, type Deduplicated } from "../../src/snapshot/dedupe";
import { idCheck, idKey } from "../../src/snapshot/segment";
import type { BatchTable } from "../../src/snapshot/types";

type Row = [id: string, time: number, order: number];

/** Each test table's ids, where the fetch would read them from the lines. */
const idsOf = new WeakMap<BatchTable, string[]>();

/**
 * A table of the given rows (in blocks, as a segment writer builds it); `key` replaces both idKey() and
 * idCheck() to force whole-fingerprint collisions.
 */
function table(rows: Row[], key?: (id: string) => number): BatchTable {
  const t: BatchTable = {
    segment: "unused",
    rows: rows.length,
    members: [],
    hashes: columnOf(new Uint8Array(32 * rows.length), 32),
    time: columnOf(Float64Array.from(rows.map(([, time]) => time))),
    order: columnOf(Float64Array.from(rows.map(([, , order]) => order))),
    profile: columnOf(new Uint32Array(rows.length)),
    member: columnOf(new Uint32Array(rows.length)),
    line: columnOf(Uint32Array.from(rows.map((_, i) => i))),
    idKey: columnOf(Uint32Array.from(rows.map(([id]) => (key ?? idKey)(id)))),
    idCheck: columnOf(Uint32Array.from(rows.map(([id]) => (key ?? idCheck)(id)))),
  };
  idsOf.set(t, rows.map(([id]) => id));
  return t;
}

/** deduplicate with ids read from the rows, counting how often one is asked for. */
function dedupe(tables: BatchTable[]): Deduplicated & { asked: number } {
  let asked = 0;
  const found = deduplicate(tables, (t, row) => {
    asked++;
    return idsOf.get(tables[t] as BatchTable)?.[row] as string;
  });
  return { ...found, asked };
}

const deadRows = (tables: BatchTable[]): string[][] => {
  const { dead } = dedupe(tables);
  return tables.map((t, i) => Array.from({ length: t.rows }, (_, r) => r).filter((r) => dead[i]?.[r] === 1).map((r) => `${i}:${r}`));
};

describe("deduplicate", () => {
  it("keeps devices whose ids share a whole fingerprint but differ (ids of different lengths and bytes)", () => {
    const same = (): number => 7;
    const tables = [table([["a", 1, 1], ["b", 1, 2], ["ab", 1, 3]], same), table([["ba", 1, 4], ["a", 0, 5]], same)];
    const { winners } = dedupe(tables);
    expect(winners).toBe(4);
    expect(deadRows(tables)).toEqual([[], ["1:1"]]);
  });

  it("picks the newest time, then the highest order, whatever the order of the tables", () => {
    const a = table([["x", 100, 1], ["y", 5, 9]]);
    const b = table([["x", 100, 2], ["y", 5, 3], ["z", Number.NEGATIVE_INFINITY, 1]]);
    const c = table([["x", 50, 99], ["z", 0, 0]]);
    expect(deadRows([a, b, c])).toEqual([["0:0"], ["1:1", "1:2"], ["2:0"]]);
    expect(deadRows([c, b, a])).toEqual([["0:0"], ["1:1", "1:2"], ["2:0"]]);
    expect(dedupe([b, c, a]).winners).toBe(3);
  });

  it("reads ids only for rows whose fingerprints match, and keeps ids that share only the slot key", () => {
    const slotOnly = table([["p", 1, 1], ["q", 1, 2], ["p", 2, 3]]);
    // Same idKey, different idCheck: never equal, never read.
    slotOnly.idKey = columnOf(Uint32Array.from([9, 9, 9]));
    const found = dedupe([slotOnly]);
    expect(found.winners).toBe(2);
    expect(found.asked).toBe(2);
    expect(found.dead).toEqual([Uint8Array.from([1, 0, 0])]);
    expect(dedupe([table([["x", 1, 1], ["y", 1, 2], ["z", 1, 3]])]).asked).toBe(0);
  });

  it("compares ids across id blocks: duplicates on either side of a block boundary, with colliding slot keys", () => {
    // "dup" and "du" share a whole fingerprint; every other id has its own.
    const key = (id: string): number => (id.startsWith("du") ? 7 : idKey(id));
    const rows: Row[] = Array.from({ length: BLOCK_ROWS + 2 }, (_, r): Row => [`id-${r}`, 1, r]);
    // Rows BLOCK_ROWS - 1 and BLOCK_ROWS sit in different blocks; a block's first row starts at its byte 0.
    rows[BLOCK_ROWS - 1] = ["dup", 5, 1];
    rows[BLOCK_ROWS] = ["dup", 5, 2];
    rows[BLOCK_ROWS + 1] = ["du", 9, 3];
    const other: Row[] = [["dup", 4, 99], ["du", 9, 0], [`id-${BLOCK_ROWS - 2}`, 2, 0]];
    const expected = [[`0:${BLOCK_ROWS - 2}`, `0:${BLOCK_ROWS - 1}`], ["1:0", "1:1"]];
    expect(deadRows([table(rows, key), table(other, key)])).toEqual(expected);
    expect(deadRows([table(other, key), table(rows, key)])).toEqual([expected[1]?.map((x) => x.replace("1:", "0:")), expected[0]?.map((x) => x.replace("0:", "1:"))]);
    // id-0 … id-{BLOCK_ROWS - 2}, "dup" and "du".
    expect(dedupe([table(rows, key), table(other, key)]).winners).toBe(BLOCK_ROWS + 1);
  });

  it("counts an empty set of tables as no devices", () => {
    expect(dedupe([])).toEqual({ dead: [], winners: 0, asked: 0 });
  });
});
