/**
 * Sorted runs of the external merge sort, kept as bytes. Device lines are UTF-8 encoded once, into a large run
 * buffer outside the JS heap (so the garbage collector never walks them), with a small entry per device for
 * sorting. A full run is sorted and spilled as binary records; during the merge, cursors hand out each
 * entry's line bytes in place, so lines are never decoded again before they are hashed and compressed.
 *
 * Spilled record: u32 lineLen, u32 idLen, u16 tsLen, u32 batch, u32 profile, f64 order, then id, ts, line bytes.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { MessageChannel } from "node:worker_threads";

export interface RunEntry {
  id: string;
  /** dataRefreshTimestamp, "" when null (so that it sorts oldest). */
  ts: string;
  /** Arrival order; among equal ids and timestamps the later one wins. */
  order: number;
  batch: number;
  /** Summary profile index (see summary.ts). */
  profile: number;
  /** The line's UTF-8 bytes are source[start, end). */
  source: Buffer;
  start: number;
  end: number;
}

export function compareEntries(a: RunEntry, b: RunEntry): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.order - b.order;
}

const HEADER = 26;
const CHUNK = 1 << 20;

/** Entries whose lines live in one off-heap buffer. */
export class RunBuffer {
  readonly entries: RunEntry[] = [];
  private used = 0;
  /** Allocated on the first line, so a writer whose devices all arrive as adopted runs never holds one. */
  private bytes: Buffer | undefined;

  constructor(private readonly capacity: number) {}

  /** Adds a device line; false when the buffer might not hold it (the run is then full). */
  add(id: string, ts: string, order: number, batch: number, profile: number, line: string): boolean {
    // Never a slice of Node's shared pool (small capacities would be), so release() can hand the memory away.
    this.bytes ??= Buffer.allocUnsafeSlow(this.capacity);
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: a cheap bound instead of measuring the line.
    if (this.bytes.length - this.used < line.length * 3) return false;
    const written = this.bytes.write(line, this.used, "utf8");
    this.entries.push({ id, ts, order, batch, profile, source: this.bytes, start: this.used, end: this.used + written });
    this.used += written;
    return true;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Forgets every entry and frees the buffer at once (it is allocated again on the next line). Dropping the
   * reference would free it only at the next full garbage collection; handing its memory to a message that is
   * never delivered releases it now.
   */
  release(): void {
    this.entries.length = 0;
    this.used = 0;
    if (this.bytes !== undefined && this.bytes.byteOffset === 0 && this.bytes.buffer.byteLength === this.bytes.length) {
      const { port1, port2 } = new MessageChannel();
      port1.postMessage(null, [this.bytes.buffer as ArrayBuffer]);
      port1.close();
      port2.close();
    }
    this.bytes = undefined;
  }

  /** Sorts and writes the run to `path`, then empties it for reuse. */
  spill(path: string): void {
    this.entries.sort(compareEntries);
    const fd = openSync(path, "w");
    try {
      let out = Buffer.allocUnsafe(CHUNK);
      let at = 0;
      for (const e of this.entries) {
        const idBytes = Buffer.byteLength(e.id);
        const need = HEADER + idBytes + e.ts.length + (e.end - e.start);
        if (at + need > out.length) {
          writeSync(fd, out, 0, at);
          at = 0;
          if (need > out.length) out = Buffer.allocUnsafe(need);
        }
        out.writeUInt32LE(e.end - e.start, at);
        out.writeUInt32LE(idBytes, at + 4);
        out.writeUInt16LE(e.ts.length, at + 8);
        out.writeUInt32LE(e.batch, at + 10);
        out.writeUInt32LE(e.profile, at + 14);
        out.writeDoubleLE(e.order, at + 18);
        at += HEADER;
        at += out.write(e.id, at, "utf8");
        at += out.write(e.ts, at, "latin1");
        at += e.source.copy(out, at, e.start, e.end);
      }
      if (at > 0) writeSync(fd, out, 0, at);
    } finally {
      closeSync(fd);
    }
    this.entries.length = 0;
    this.used = 0;
  }
}

/** A position in a sorted run; advancing is synchronous (spilled runs are read with readSync). */
export interface RunCursor {
  readonly current: RunEntry | undefined;
  advance(): void;
}

export class ArrayCursor implements RunCursor {
  private i = 0;
  constructor(private readonly entries: readonly RunEntry[]) {}
  get current(): RunEntry | undefined {
    return this.entries[this.i];
  }
  advance(): void {
    this.i++;
  }
}

/**
 * Reads a spilled run in chunks. Each chunk is a fresh buffer, so the line bytes of entries already handed out
 * stay valid while the merge still holds them.
 */
export class FileCursor implements RunCursor {
  current: RunEntry | undefined;
  private chunk = Buffer.alloc(0);
  private at = 0;
  private eof = false;
  private closed = false;
  private readonly fd: number;

  /**
   * `profiles` translates the profile indexes stored in the run into the merging counter's, for runs written by
   * another summary counter (a worker thread's).
   */
  constructor(
    path: string,
    private readonly profiles?: readonly number[],
    private readonly chunkSize = 4 * CHUNK,
  ) {
    this.fd = openSync(path, "r");
    this.advance();
  }

  advance(): void {
    if (this.closed) return;
    if (!this.ensure(HEADER)) return this.close();
    const c = this.chunk;
    const lineLen = c.readUInt32LE(this.at);
    const idLen = c.readUInt32LE(this.at + 4);
    const tsLen = c.readUInt16LE(this.at + 8);
    if (!this.ensure(HEADER + idLen + tsLen + lineLen)) throw new Error("truncated snapshot run file");
    const b = this.chunk;
    const idStart = this.at + HEADER;
    const tsStart = idStart + idLen;
    const start = tsStart + tsLen;
    this.current = {
      batch: b.readUInt32LE(this.at + 10),
      profile: this.profile(b.readUInt32LE(this.at + 14)),
      order: b.readDoubleLE(this.at + 18),
      id: b.toString("utf8", idStart, tsStart),
      ts: b.toString("latin1", tsStart, start),
      source: b,
      start,
      end: start + lineLen,
    };
    this.at = start + lineLen;
  }

  private profile(stored: number): number {
    if (this.profiles === undefined) return stored;
    const mapped = this.profiles[stored];
    if (mapped === undefined) throw new Error(`snapshot run file names an unknown summary profile ${stored}`);
    return mapped;
  }

  /** Makes `n` bytes available at `at`, reading on into a new chunk; false at a clean end of file. */
  private ensure(n: number): boolean {
    if (this.chunk.length - this.at >= n) return true;
    const rest = this.chunk.subarray(this.at);
    if (this.eof) {
      if (rest.length === 0) return false;
      throw new Error("truncated snapshot run file");
    }
    const next = Buffer.allocUnsafe(Math.max(this.chunkSize, n));
    rest.copy(next, 0);
    let filled = rest.length;
    while (filled < next.length) {
      const read = readSync(this.fd, next, filled, next.length - filled, null);
      if (read === 0) {
        this.eof = true;
        break;
      }
      filled += read;
    }
    this.chunk = next.subarray(0, filled);
    this.at = 0;
    if (filled >= n) return true;
    if (filled === 0) return false;
    throw new Error("truncated snapshot run file");
  }

  close(): void {
    this.current = undefined;
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}
