/**
 * Where device lines go as they arrive, in whichever thread reads them: each line is hashed, appended to a
 * member buffer of its batch, and every full buffer is compressed into an independent gzip member (on the
 * libuv thread pool) and appended to this writer's segment file. Beside the bytes, a batch keeps a compact
 * table of its devices (line hash, machineId fingerprint, timestamp, arrival order, summary profile, where the line is), so
 * that the fetch can de-duplicate and digest without reading a line again. Nothing is sorted.
 *
 * A member never mixes batches: a discarded batch (a failed part attempt, auto's probe) just leaves bytes in
 * the segment file that no table points at.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { promisify } from "node:util";
import { gzip, gzipSync, type ZlibOptions } from "node:zlib";
import { ColumnBuilder } from "./columns";
import { HASH_BYTES, lineHash } from "./digest";
import type { BatchTable, MemberRef } from "./types";

const gzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gzip);
/** Uncompressed bytes per gzip member: large enough for few callbacks, small enough to rewrite one cheaply. */
export const MEMBER_BYTES = 2 << 20;
/** Members being compressed at once per writer; beyond this, the adding thread compresses the next one itself. */
const IN_FLIGHT = 3;
/** Output buffer of each compression: one or two callbacks per member instead of one per 16 KB. */
const GZIP_OUT = 1 << 20;
const NEWLINE = 0x0a;

/** What is known about one device when its line is added. */
export interface LineFacts {
  id: string;
  /** dataRefreshTimestamp in ms since the epoch; -Infinity when null (it loses to any time). */
  time: number;
  order: number;
  profile: number;
}

export class SegmentWriter {
  private readonly fd: number;
  private readonly open = new Map<number, BatchBuilder>();
  /** Member buffers whose compression is done, for reuse: fresh 2 MB buffers per member left RSS growing per thread. */
  private readonly spare: Buffer[] = [];
  private readonly takeBuffer = (bytes: number): Buffer =>
    bytes <= MEMBER_BYTES ? (this.spare.pop() ?? Buffer.allocUnsafeSlow(MEMBER_BYTES)) : Buffer.allocUnsafeSlow(bytes);
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;
  private inFlight = 0;
  private size = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly level: number,
  ) {
    this.fd = openSync(path, "w");
  }

  /** Batches with lines not yet sealed or dropped. */
  get openBatches(): number[] {
    return [...this.open.keys()];
  }

  add(batch: number, line: string, facts: LineFacts): void {
    let builder = this.open.get(batch);
    if (builder === undefined) {
      builder = new BatchBuilder(this.takeBuffer);
      this.open.set(batch, builder);
    }
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: a cheap bound instead of measuring the line.
    if (builder.room() < line.length * 3 + 1) {
      this.flush(builder);
      builder.ensureChunk(line.length * 3 + 1);
    }
    builder.add(line, facts);
  }

  /** Writes out what the batch still buffers and hands over its table; the batch is forgotten here. */
  async seal(batch: number): Promise<BatchTable> {
    const builder = this.open.get(batch) ?? new BatchBuilder(this.takeBuffer);
    this.open.delete(batch);
    this.flush(builder);
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
    return builder.table(this.path);
  }

  /** Forgets a batch; members of it already on their way to the file are written but never referenced. */
  drop(batch: number): void {
    this.open.delete(batch);
  }

  /** Waits for every member to be written and closes the file. */
  async close(): Promise<void> {
    await this.tail;
    this.abandon();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Closes the file at once; members still being compressed are not written. */
  abandon(): void {
    this.open.clear();
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }

  private flush(builder: BatchBuilder): void {
    const taken = builder.takeMember();
    if (taken === undefined) return;
    const { bytes, ref, whole } = taken;
    const options = { level: this.level, chunkSize: GZIP_OUT };
    // Beyond IN_FLIGHT members the thread that adds lines compresses too, which also bounds the memory held.
    const compressed = this.inFlight < IN_FLIGHT ? gzipAsync(bytes, options) : Promise.resolve(gzipSync(bytes, options));
    // Awaited in turn below; until then a failure must not count as an unhandled rejection.
    compressed.catch(() => undefined);
    this.inFlight++;
    this.tail = this.tail.then(async () => {
      let member: Buffer;
      try {
        member = await compressed;
      } finally {
        this.inFlight--;
      }
      if (whole.length === MEMBER_BYTES && this.spare.length <= IN_FLIGHT) this.spare.push(whole);
      if (this.closed) return;
      writeSync(this.fd, member);
      ref.offset = this.size;
      ref.length = member.length;
      this.size += member.length;
    });
    this.tail = this.tail.catch((error: unknown) => {
      this.failure ??= error;
    });
  }
}

/** One batch's lines being gathered into members, and its device table. */
class BatchBuilder {
  private rows = 0;
  private readonly hashes = new ColumnBuilder((n) => new Uint8Array(n), HASH_BYTES);
  private readonly time = new ColumnBuilder((n) => new Float64Array(n));
  private readonly order = new ColumnBuilder((n) => new Float64Array(n));
  private readonly profile = new ColumnBuilder((n) => new Uint32Array(n));
  private readonly member = new ColumnBuilder((n) => new Uint32Array(n));
  private readonly line = new ColumnBuilder((n) => new Uint32Array(n));
  private readonly idKey = new ColumnBuilder((n) => new Uint32Array(n));
  private readonly idCheck = new ColumnBuilder((n) => new Uint32Array(n));
  private readonly members: MemberRef[] = [];
  private chunk: Buffer | undefined;
  private used = 0;
  private chunkLines = 0;

  constructor(private readonly takeBuffer: (bytes: number) => Buffer) {}

  room(): number {
    return this.chunk === undefined ? MEMBER_BYTES : this.chunk.length - this.used;
  }

  ensureChunk(bytes: number): void {
    if (this.chunk === undefined || this.chunk.length - this.used < bytes) this.chunk = this.takeBuffer(bytes);
  }

  add(text: string, facts: LineFacts): void {
    this.chunk ??= this.takeBuffer(0);
    const start = this.used;
    const written = this.chunk.write(text, start, "utf8");
    const row = this.rows;
    this.hashes.setRow(row, lineHash(this.chunk.subarray(start, start + written)));
    this.chunk[start + written] = NEWLINE;
    this.used = start + written + 1;
    this.time.set(row, facts.time);
    this.order.set(row, facts.order);
    this.profile.set(row, facts.profile);
    this.member.set(row, this.members.length);
    this.line.set(row, this.chunkLines++);
    this.idKey.set(row, idKey(facts.id));
    this.idCheck.set(row, idCheck(facts.id));
    this.rows = row + 1;
  }

  /** The buffered lines as the next member, with the reference its writer fills in. */
  takeMember(): { bytes: Buffer; ref: MemberRef; whole: Buffer } | undefined {
    if (this.chunk === undefined || this.chunkLines === 0) return undefined;
    const whole = this.chunk;
    const bytes = whole.subarray(0, this.used);
    const ref: MemberRef = { offset: -1, length: 0, lines: this.chunkLines };
    this.members.push(ref);
    // Another buffer next time: the thread pool still reads this one.
    this.chunk = undefined;
    this.used = 0;
    this.chunkLines = 0;
    return { bytes, ref, whole };
  }

  /** The table, each column's last block trimmed to its rows; called once, when the batch is sealed. */
  table(segment: string): BatchTable {
    const n = this.rows;
    return {
      segment,
      rows: n,
      members: this.members,
      hashes: this.hashes.finish(n),
      time: this.time.finish(n),
      order: this.order.finish(n),
      profile: this.profile.finish(n),
      member: this.member.finish(n),
      line: this.line.finish(n),
      idKey: this.idKey.finish(n),
      idCheck: this.idCheck.finish(n),
    };
  }
}

/** FNV-1a over the UTF-16 code units: the machineId's slot in the de-duplication table (equal ids, equal keys). */
export function idKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A second 32-bit hash of the id (FNV-1a, another seed): with idKey() the id's 64-bit fingerprint. */
export function idCheck(id: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
