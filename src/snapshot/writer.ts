/**
 * The snapshot writer: takes normalized devices in any order and writes the schema-2 snapshot file of
 * README.md, "The command line", doing the heavy work as devices arrive so that little is left at the end:
 * 1. each device is serialized, hashed and appended to a gzip member of its batch in a segment file
 *    (segment.ts), with a compact table row; part workers (src/ingest) do the same in their own threads and
 *    hand over each finished part's table (adoptBatch);
 * 2. at finish, the tables of the kept batches are de-duplicated in memory (dedupe.ts: per machineId the newest
 *    dataRefreshTimestamp, then the highest arrival order), the winners' line hashes give the digest
 *    (digest.ts) and their profiles the summary;
 * 3. the header is written as the first gzip member and the members are copied after it (assemble.ts).
 * No line is sorted, decoded or compressed twice, except in a member holding a duplicate that lost.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { serializeDevice, type NormalizedDevice } from "../model/device";
import { assembleSnapshot } from "./assemble";
import { cell, rowBytes } from "./columns";
import { deduplicate, type Deduplicated } from "./dedupe";
import { HASH_BYTES, setDigest } from "./digest";
import { buildHeader } from "./header";
import { MemberLines } from "./member-lines";
import { SegmentWriter, type LineFacts } from "./segment";
import { SummaryCounter, type Profile } from "./summary";
import type { BatchTable, FetchMethod, SnapshotHeader, SnapshotSource, SnapshotSummary } from "./types";

/** On emulator device lines level 1 compresses ~6.3x at ~130 MB/s per core; level 6 ~8.9x at ~58 MB/s. */
export const DEFAULT_GZIP_LEVEL = 1;

export interface SnapshotWriterOptions {
  fetchedAt: Date;
  /** Where segment files go while the snapshot is taken (default: the OS temp directory). */
  tmpDir?: string;
  gzipLevel?: number;
}

export interface AddOptions {
  /** A batch that may later be discarded as a whole (a part attempt); 0, the default, is never discarded. */
  batch?: number;
  /** Arrival order for the duplicate tie-break; defaults to the order of add() calls. Must be unique. */
  order?: number;
}

export interface FinishOptions {
  outPath: string;
  method: FetchMethod;
  generatedTime: string | null;
  source: SnapshotSource;
  /** Why data is missing; any reason makes the snapshot complete:false. */
  incompleteReasons?: readonly string[];
}

export interface WrittenSnapshot {
  header: SnapshotHeader;
  summary: SnapshotSummary;
  path: string;
}

/** Turns a device into its line and the facts its table row keeps (also used by part workers). */
export class LineMaker {
  readonly summary: SummaryCounter;

  constructor(fetchedAt: Date) {
    this.summary = new SummaryCounter(fetchedAt);
  }

  make(device: NormalizedDevice, order: number): { line: string; facts: LineFacts } {
    const ts = device.dataRefreshTimestamp;
    const time = ts === null ? Number.NEGATIVE_INFINITY : Date.parse(ts);
    return {
      line: serializeDevice(device),
      facts: { id: device.machineId, time: Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time, order, profile: this.summary.profileOf(device) },
    };
  }
}

export class SnapshotWriter {
  private readonly maker: LineMaker;
  private readonly gzipLevel: number;
  private readonly tmpRoot: string;
  private segmentDir: string | undefined;
  private segment: SegmentWriter | undefined;
  /** Tables handed over by part workers, by batch. */
  private readonly adopted = new Map<number, BatchTable[]>();
  private readonly discarded = new Set<number>();
  private nextBatch = 1;
  private seq = 0;
  private closed = false;

  constructor(private readonly options: SnapshotWriterOptions) {
    this.maker = new LineMaker(options.fetchedAt);
    this.gzipLevel = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
    this.tmpRoot = options.tmpDir ?? tmpdir();
  }

  /** Where segment files go (created on first use); part workers write theirs here too. */
  get segmentDirectory(): string {
    this.segmentDir ??= mkdtempSync(join(this.tmpRoot, "avhealth-segments-"));
    return this.segmentDir;
  }

  get level(): number {
    return this.gzipLevel;
  }

  /** Devices added so far (before de-duplication and discards). */
  get added(): number {
    return this.seq;
  }

  newBatch(): number {
    return this.nextBatch++;
  }

  discardBatch(batch: number): void {
    if (batch === 0) return;
    this.discarded.add(batch);
    // Its table goes now, not at finish: auto's probe must not hold memory while the part workers run.
    this.segment?.drop(batch);
    this.adopted.delete(batch);
  }

  add(device: NormalizedDevice, options: AddOptions = {}): void {
    if (this.closed) throw new Error("SnapshotWriter.add after finish");
    const { line, facts } = this.maker.make(device, options.order ?? this.seq);
    this.seq++;
    this.segment ??= new SegmentWriter(join(this.segmentDirectory, "main.seg"), this.gzipLevel);
    this.segment.add(options.batch ?? 0, line, facts);
  }

  /** Counts devices that another thread added (adopted with adoptBatch), for progress. */
  countAddedElsewhere(n: number): void {
    this.seq += n;
  }

  /**
   * Takes over the table of a batch read in another thread, whose profile indexes refer to `profiles` (that
   * thread's summary profiles); they are renumbered to this writer's in place.
   */
  adoptBatch(batch: number, table: BatchTable, profiles: readonly Profile[]): void {
    if (this.closed) throw new Error("SnapshotWriter.adoptBatch after finish");
    if (this.discarded.has(batch)) return;
    const mapped = profiles.map((p) => this.maker.summary.register(p));
    for (const block of table.profile) {
      for (let i = 0; i < block.length; i++) {
        const own = mapped[block[i] as number];
        if (own === undefined) throw new Error(`a part table names an unknown summary profile ${block[i]}`);
        block[i] = own;
      }
    }
    const list = this.adopted.get(batch) ?? [];
    list.push(table);
    this.adopted.set(batch, list);
  }

  async finish(f: FinishOptions): Promise<WrittenSnapshot> {
    if (this.closed) throw new Error("SnapshotWriter.finish called twice");
    this.closed = true;
    // A name nobody can guess, opened exclusively (assemble.ts): a file or link planted beside the target is never written through.
    const tmp = join(dirname(f.outPath), `.${basename(f.outPath)}.${randomBytes(12).toString("hex")}.tmp`);
    try {
      const tables = [...this.adopted.values()].flat();
      const own = this.segment;
      if (own !== undefined) {
        for (const batch of own.openBatches) if (!this.discarded.has(batch)) tables.push(await own.seal(batch));
        await own.close();
      }
      const lines = new MemberLines();
      let found: Deduplicated;
      try {
        found = deduplicate(tables, (t, row) => lines.machineId(tables[t] as BatchTable, row));
      } finally {
        lines.close();
      }
      const { dead, winners } = found;
      const hashes = Buffer.allocUnsafeSlow(winners * HASH_BYTES);
      let at = 0;
      tables.forEach((table, t) => {
        const flags = dead[t];
        for (let r = 0; r < table.rows; r++) {
          if (flags !== undefined && flags[r] === 1) continue;
          this.maker.summary.count(cell(table.profile, r));
          if (flags === undefined) continue;
          hashes.set(rowBytes(table.hashes, r, HASH_BYTES), at);
          at += HASH_BYTES;
        }
        // A table without losers is copied whole, block by block (the last block holds only its rows).
        if (flags === undefined) {
          for (const block of table.hashes) {
            hashes.set(block, at);
            at += block.length;
          }
        }
      });
      const header = buildHeader({
        method: f.method,
        deviceCount: winners,
        generatedTime: f.generatedTime,
        fetchedAt: this.options.fetchedAt.toISOString(),
        source: f.source,
        digest: setDigest(hashes, winners),
        incompleteReasons: f.incompleteReasons ?? [],
      });
      assembleSnapshot(f.outPath, tmp, JSON.stringify(header), tables, dead, this.gzipLevel);
      return { header, summary: this.maker.summary.finish(), path: f.outPath };
    } finally {
      rmSync(tmp, { force: true });
      this.cleanup();
    }
  }

  /** Drops everything written so far (temp files included); for a fetch that failed. */
  abort(): void {
    this.closed = true;
    this.adopted.clear();
    this.cleanup();
  }

  private cleanup(): void {
    this.segment?.abandon();
    this.segment = undefined;
    if (this.segmentDir !== undefined) rmSync(this.segmentDir, { recursive: true, force: true });
    this.segmentDir = undefined;
  }
}
