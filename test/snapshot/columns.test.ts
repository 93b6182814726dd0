/** Block columns: rows across block boundaries read back as written, the last block trimmed. */
import { BLOCK_ROWS, cell, ColumnBuilder, columnOf, rowBytes, setCell } from "../../src/snapshot/columns";

describe("ColumnBuilder", () => {
  it("grows by blocks and reads back every row, at and around the block boundaries", () => {
    const builder = new ColumnBuilder((n) => new Float64Array(n));
    const rows = 2 * BLOCK_ROWS + 3;
    for (let r = 0; r < rows; r++) builder.set(r, r * 1.5);
    const column = builder.finish(rows);
    expect(column.map((b) => b.length)).toEqual([BLOCK_ROWS, BLOCK_ROWS, 3]);
    for (const r of [0, BLOCK_ROWS - 1, BLOCK_ROWS, BLOCK_ROWS + 1, 2 * BLOCK_ROWS - 1, 2 * BLOCK_ROWS, rows - 1]) expect(cell(column, r)).toBe(r * 1.5);
    // Every block is its own buffer, so that a table can be transferred block by block.
    expect(new Set(column.map((b) => b.buffer)).size).toBe(3);
  });

  it("keeps a full last block as it is and an empty column as no blocks", () => {
    const builder = new ColumnBuilder((n) => new Uint32Array(n));
    for (let r = 0; r < BLOCK_ROWS; r++) builder.set(r, r + 7);
    const column = builder.finish(BLOCK_ROWS);
    expect(column.map((b) => b.length)).toEqual([BLOCK_ROWS]);
    expect(cell(column, BLOCK_ROWS - 1)).toBe(BLOCK_ROWS + 6);
    expect(new ColumnBuilder((n) => new Uint32Array(n)).finish(0)).toEqual([]);
  });

  it("stores wide rows (line hashes) and returns each row's bytes", () => {
    const builder = new ColumnBuilder((n) => new Uint8Array(n), 4);
    const rows = BLOCK_ROWS + 1;
    for (let r = 0; r < rows; r++) builder.setRow(r, [r & 0xff, (r >> 8) & 0xff, 1, 2]);
    const column = builder.finish(rows);
    expect(column.map((b) => b.length)).toEqual([BLOCK_ROWS * 4, 4]);
    expect([...rowBytes(column, BLOCK_ROWS - 1, 4)]).toEqual([(BLOCK_ROWS - 1) & 0xff, ((BLOCK_ROWS - 1) >> 8) & 0xff, 1, 2]);
    expect([...rowBytes(column, BLOCK_ROWS, 4)]).toEqual([BLOCK_ROWS & 0xff, (BLOCK_ROWS >> 8) & 0xff, 1, 2]);
  });

  it("columnOf splits flat values into blocks, and setCell writes the right block", () => {
    const column = columnOf(Uint32Array.from({ length: BLOCK_ROWS + 2 }, (_, i) => i));
    expect(column.map((b) => b.length)).toEqual([BLOCK_ROWS, 2]);
    setCell(column, BLOCK_ROWS, 42);
    expect([cell(column, BLOCK_ROWS - 1), cell(column, BLOCK_ROWS), cell(column, BLOCK_ROWS + 1)]).toEqual([BLOCK_ROWS - 1, 42, BLOCK_ROWS + 1]);
  });
});
