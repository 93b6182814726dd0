/**
 * Device-table columns kept as blocks of a fixed number of rows instead of one array grown by doubling. A
 * doubled array leaves up to half of itself unused and copies everything at each growth, and the old and new
 * arrays are both alive while it copies; in a part worker that was twice the table's size in garbage per part.
 * Blocks are allocated as rows arrive, never copied (only the last one is trimmed to its rows when the table is
 * handed over), and each block is its own ArrayBuffer, so a worker transfers them to the fetch as they are.
 */

/** Rows per block: 8192 rows are 256 KB of line hashes, 64 KB of a Float64 column. */
export const BLOCK_SHIFT = 13;
export const BLOCK_ROWS = 1 << BLOCK_SHIFT;
export const BLOCK_MASK = BLOCK_ROWS - 1;

export type NumericArray = Uint8Array | Uint32Array | Float64Array;
/** A column: blocks of BLOCK_ROWS rows (× the column's width), the last one holding only the remaining rows. */
export type Column<T extends NumericArray> = T[];

/** Writable view shared by the typed arrays (a generic T's index is not writable in TypeScript). */
interface Cells {
  [index: number]: number;
}

/** The value of a one-wide column at a row. */
export function cell(column: Column<NumericArray>, row: number): number {
  return (column[row >>> BLOCK_SHIFT] as NumericArray)[row & BLOCK_MASK] as number;
}

/** Sets the value of a one-wide column at an existing row (a table's profiles are renumbered in place). */
export function setCell(column: Column<NumericArray>, row: number, value: number): void {
  ((column[row >>> BLOCK_SHIFT] as NumericArray) as Cells)[row & BLOCK_MASK] = value;
}

/** The `width` bytes of a row of a byte column (a view, not a copy). */
export function rowBytes(column: Column<Uint8Array>, row: number, width: number): Uint8Array {
  const at = (row & BLOCK_MASK) * width;
  return (column[row >>> BLOCK_SHIFT] as Uint8Array).subarray(at, at + width);
}

/** A column from flat values (tests, and tables built in one go). */
export function columnOf<T extends NumericArray>(flat: T, width = 1): Column<T> {
  const blocks: T[] = [];
  const step = BLOCK_ROWS * width;
  for (let at = 0; at < flat.length; at += step) blocks.push(flat.slice(at, at + step) as T);
  return blocks;
}

/** Builds a column whose rows are appended in order (row n is set after rows 0..n-1). */
export class ColumnBuilder<T extends NumericArray> {
  private readonly blocks: T[] = [];

  constructor(
    private readonly make: (length: number) => T,
    private readonly width = 1,
  ) {}

  set(row: number, value: number): void {
    (this.blockOf(row) as Cells)[row & BLOCK_MASK] = value;
  }

  /** Copies `bytes` (of the column's width) into a row. */
  setRow(row: number, bytes: ArrayLike<number>): void {
    this.blockOf(row).set(bytes, (row & BLOCK_MASK) * this.width);
  }

  /** The column of the first `rows` rows: full blocks as they are, the last one trimmed (copied) to its rows. */
  finish(rows: number): Column<T> {
    const count = Math.ceil(rows / BLOCK_ROWS);
    const column = this.blocks.slice(0, count);
    const tail = rows - (count - 1) * BLOCK_ROWS;
    if (count > 0 && tail < BLOCK_ROWS) column[count - 1] = (column[count - 1] as T).slice(0, tail * this.width) as T;
    return column;
  }

  private blockOf(row: number): T {
    const index = row >>> BLOCK_SHIFT;
    while (this.blocks.length <= index) this.blocks.push(this.make(BLOCK_ROWS * this.width));
    return this.blocks[index] as T;
  }
}
