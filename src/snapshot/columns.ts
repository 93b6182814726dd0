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

/**
 * The machineIds' UTF-8 bytes, one byte block per block of rows, with each row's end inside its block (a row's
 * id starts where the previous row's ended, or at 0 for the first row of a block). A block's byte buffer starts
 * at 40 bytes per row (a Defender machineId) and doubles only when longer ids do not fit; it is trimmed when
 * its rows are done.
 */
export class IdBlocksBuilder {
  private readonly blocks: Uint8Array[] = [];
  private current: Buffer | undefined;
  private used = 0;

  /** Appends row `row`'s id (rows in order) and returns where it ends in its block. */
  add(row: number, id: string): number {
    if ((row & BLOCK_MASK) === 0) this.startBlock();
    let current = this.current;
    if (current === undefined) throw new Error("id rows must be added in order from row 0");
    if (this.used + id.length * 3 > current.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(current.length * 2, this.used + id.length * 3));
      current.copy(bigger, 0, 0, this.used);
      current = bigger;
      this.current = bigger;
    }
    this.used += current.write(id, this.used, "utf8");
    return this.used;
  }

  /** The byte blocks of the rows added so far, the last one trimmed; the builder is empty afterwards. */
  finish(): Uint8Array[] {
    this.endBlock();
    return this.blocks.splice(0);
  }

  private startBlock(): void {
    this.endBlock();
    this.current = Buffer.allocUnsafeSlow(BLOCK_ROWS * 40);
  }

  private endBlock(): void {
    // A copy of the used bytes: a Buffer's subarray would keep (and transfer) the whole buffer.
    if (this.current !== undefined) this.blocks.push(new Uint8Array(this.current.subarray(0, this.used)));
    this.current = undefined;
    this.used = 0;
  }
}
