/** deduplicate: exact on machineId (a shared slot key is not enough), the same winners whatever the table order. */
import { deduplicate } from "../../src/snapshot/dedupe";
import { idKey } from "../../src/snapshot/segment";
import type { BatchTable } from "../../src/snapshot/types";

type Row = [id: string, time: number, order: number];

/** A table of the given rows; `key` replaces idKey() to force slot collisions. */
function table(rows: Row[], key: (id: string) => number = idKey): BatchTable {
  const ids = rows.map(([id]) => Buffer.from(id, "utf8"));
  const ends: number[] = [];
  ids.reduce((end, bytes) => (ends.push(end + bytes.length), end + bytes.length), 0);
  return {
    segment: "unused",
    rows: rows.length,
    members: [],
    hashes: new Uint8Array(32 * rows.length),
    time: Float64Array.from(rows.map(([, time]) => time)),
    order: Float64Array.from(rows.map(([, , order]) => order)),
    profile: new Uint32Array(rows.length),
    member: new Uint32Array(rows.length),
    line: Uint32Array.from(rows.map((_, i) => i)),
    idKey: Uint32Array.from(rows.map(([id]) => key(id))),
    idEnd: Uint32Array.from(ends),
    ids: new Uint8Array(Buffer.concat(ids)),
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

  it("counts an empty set of tables as no devices", () => {
    expect(deduplicate([])).toEqual({ dead: [], winners: 0 });
  });
});
