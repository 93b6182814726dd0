/** deduplicate: exact on machineId (a shared slot key is not enough), the same winners whatever the table order. */
import { BLOCK_ROWS, columnOf, IdBlocksBuilder } from "../../src/snapshot/columns";
import { deduplicate } from "../../src/snapshot/dedupe";
import { idKey } from "../../src/snapshot/segment";
import type { BatchTable } from "../../src/snapshot/types";

type Row = [id: string, time: number, order: number];

/** A table of the given rows (in blocks, as a segment writer builds it); `key` replaces idKey() to force slot collisions. */
function table(rows: Row[], key: (id: string) => number = idKey): BatchTable {
  const ids = new IdBlocksBuilder();
  const ends = rows.map(([id], r) => ids.add(r, id));
  return {
    segment: "unused",
    rows: rows.length,
    members: [],
    hashes: columnOf(new Uint8Array(32 * rows.length), 32),
    time: columnOf(Float64Array.from(rows.map(([, time]) => time))),
    order: columnOf(Float64Array.from(rows.map(([, , order]) => order))),
    profile: columnOf(new Uint32Array(rows.length)),
    member: columnOf(new Uint32Array(rows.length)),
    line: columnOf(Uint32Array.from(rows.map((_, i) => i))),
    idKey: columnOf(Uint32Array.from(rows.map(([id]) => key(id)))),
    idEnd: columnOf(Uint32Array.from(ends)),
    ids: ids.finish(),
  };
}

const deadRows = (tables: BatchTable[]): string[][] => {
  const { dead } = deduplicate(tables);
  return tables.map((t, i) => Array.from({ length: t.rows }, (_, r) => r).filter((r) => dead[i]?.[r] === 1).map((r) => `${i}:${r}`));
};

describe("deduplicate", () => {
  it("keeps devices whose ids share a slot key but differ (ids of different lengths and bytes)", () => {
    const same = (): number => 7;
    const tables = [table([["a", 1, 1], ["b", 1, 2], ["ab", 1, 3]], same), table([["ba", 1, 4], ["a", 0, 5]], same)];
    const { winners } = deduplicate(tables);
    expect(winners).toBe(4);
    expect(deadRows(tables)).toEqual([[], ["1:1"]]);
  });

  it("picks the newest time, then the highest order, whatever the order of the tables", () => {
    const a = table([["x", 100, 1], ["y", 5, 9]]);
    const b = table([["x", 100, 2], ["y", 5, 3], ["z", Number.NEGATIVE_INFINITY, 1]]);
    const c = table([["x", 50, 99], ["z", 0, 0]]);
    expect(deadRows([a, b, c])).toEqual([["0:0"], ["1:1", "1:2"], ["2:0"]]);
    expect(deadRows([c, b, a])).toEqual([["0:0"], ["1:1", "1:2"], ["2:0"]]);
    expect(deduplicate([b, c, a]).winners).toBe(3);
  });

  it("compares ids across id blocks: duplicates on either side of a block boundary, with colliding slot keys", () => {
    // "dup" and "du" share a slot key; every other id has its own.
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
    expect(deduplicate([table(rows, key), table(other, key)]).winners).toBe(BLOCK_ROWS + 1);
  });

  it("counts an empty set of tables as no devices", () => {
    expect(deduplicate([])).toEqual({ dead: [], winners: 0 });
  });
});
