/**
 * The snapshot writer: takes normalized devices in any order and writes the snapshot file of
 * shared/spec/cli-and-reports.md, with bounded memory whatever the fleet size:
 * 1. devices are serialized on arrival into an off-heap run buffer (runBytes); a full run is sorted and
 *    spilled to a temp file as binary records (runs.ts). Part workers (src/ingest) run writers of their own
 *    that only spill (exportRuns); this writer adopts their runs (adoptRuns);
 * 2. at finish, the spilled and adopted runs and the last in-memory run are k-way merged by machineId,
 *    dropping discarded batches and keeping per machineId the newest dataRefreshTimestamp (tie: the later-seen);
 * 3. the same pass hashes the device lines, counts the summary and gzips the lines to a body file;
 * 4. the header (now with digest and count) is written as the first gzip member and the body appended.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { serializeDevice, type NormalizedDevice } from "../model/device";
import { assembleSnapshot, BodyWriter } from "./body";
import { buildHeader } from "./header";
import { mergeRuns } from "./merge";
import { ArrayCursor, compareEntries, FileCursor, RunBuffer, type RunCursor } from "./runs";
import { SummaryCounter, type Profile } from "./summary";
import type { FetchMethod, SnapshotHeader, SnapshotSource, SnapshotSummary } from "./types";

/**
 * 128 MB of device lines per run (about 125,000 devices): the buffer is off-heap and reused. A JSON-method fetch
 * of 100,000 devices fits in one run and is never spilled; the files method reads its parts in worker threads,
 * which share WORKER_RUN_BYTES instead, so that a 1,000,000-device fetch stays under 512 MB (bench/fetch).
 */
export const DEFAULT_RUN_BYTES = 128 * 1024 * 1024;
/** The run memory of all part workers together (src/ingest). */
export const WORKER_RUN_BYTES = 96 * 1024 * 1024;
/** On emulator device lines level 1 compresses ~6.3x at ~130 MB/s per core; level 6 ~8.9x at ~58 MB/s. */
export const DEFAULT_GZIP_LEVEL = 1;

export interface SnapshotWriterOptions {
  fetchedAt: Date;
  /** Where sorted runs are spilled (default: the OS temp directory). */
  tmpDir?: string;
  /** Bytes of device lines per sorted run before it is spilled to disk. */
  runBytes?: number;
  gzipLevel?: number;
  /**
   * Spill into this existing directory, naming runs `<runPrefix>run-N.bin`, and leave the directory to its owner
   * (a worker thread's writer spills where the fetch's writer will merge).
   */
  runDir?: string;
  runPrefix?: string;
}

/** Sorted runs handed from one writer to another: spilled run files and the profile table their entries use. */
export interface ExportedRuns {
  runs: string[];
  profiles: Profile[];
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

export class SnapshotWriter {
  private readonly summary: SummaryCounter;

  private readonly gzipLevel: number;
  private readonly tmpRoot: string;
  private runDir: string | undefined;
  private readonly ownsRunDir: boolean;
  private readonly run: RunBuffer;
  /** Spilled runs; `profiles` maps the profile indexes of an adopted run to this writer's. */
  private readonly spilled: Array<{ path: string; profiles?: number[] }> = [];
  private readonly discarded = new Set<number>();
  private nextBatch = 1;
  private seq = 0;
  private closed = false;

  constructor(private readonly options: SnapshotWriterOptions) {
    this.summary = new SummaryCounter(options.fetchedAt);
    this.run = new RunBuffer(options.runBytes ?? DEFAULT_RUN_BYTES);
    this.gzipLevel = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
    this.tmpRoot = options.tmpDir ?? tmpdir();
    this.runDir = options.runDir;
    this.ownsRunDir = options.runDir === undefined;
  }

  /** Where spilled runs go (created on first use); other writers' runs may be placed here for adoption. */
  get runDirectory(): string {
    this.runDir ??= mkdtempSync(join(this.tmpRoot, "avhealth-runs-"));
    return this.runDir;
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
    // When everything in memory was discarded (auto's probe pages before the files method takes over), the run
    // buffer goes now rather than at finish, so the part workers' memory does not come on top of it.
    if (this.run.size > 0 && this.run.entries.every((e) => this.discarded.has(e.batch))) this.run.release();
  }

  add(device: NormalizedDevice, options: AddOptions = {}): void {
    if (this.closed) throw new Error("SnapshotWriter.add after finish");
    const line = serializeDevice(device);
    const id = device.machineId;
    const ts = device.dataRefreshTimestamp ?? "";
    const order = options.order ?? this.seq;
    const batch = options.batch ?? 0;
    const profile = this.summary.profileOf(device);
    this.seq++;
    if (this.run.add(id, ts, order, batch, profile, line)) return;
    this.spill();
    if (!this.run.add(id, ts, order, batch, profile, line)) {
      throw new Error(`a device line of ${line.length} characters does not fit in a snapshot run; raise runBytes`);
    }
  }

  /** Counts devices that another writer added (adopted later with adoptRuns), for progress. */
  countAddedElsewhere(n: number): void {
    this.seq += n;
  }

  /** Sorts and spills what is still in memory, and ends this writer: its runs are for another writer to merge. */
  exportRuns(): ExportedRuns {
    if (this.closed) throw new Error("SnapshotWriter.exportRuns after finish");
    this.closed = true;
    if (this.run.size > 0) this.spill();
    return { runs: this.spilled.map((s) => s.path), profiles: [...this.summary.registered] };
  }

  /** Takes over runs exported by another writer; they are merged (and deleted) by finish or abort. */
  adoptRuns(exported: ExportedRuns): void {
    if (this.closed) throw new Error("SnapshotWriter.adoptRuns after finish");
    const profiles = exported.profiles.map((p) => this.summary.register(p));
    for (const path of exported.runs) this.spilled.push({ path, profiles });
  }

  async finish(f: FinishOptions): Promise<WrittenSnapshot> {
    if (this.closed) throw new Error("SnapshotWriter.finish called twice");
    this.closed = true;
    const stem = join(dirname(f.outPath), `.${basename(f.outPath)}.${process.pid}.${Date.now()}`);
    const body = new BodyWriter(`${stem}.body.tmp`, this.gzipLevel);
    try {
      this.run.entries.sort(compareEntries);
      const files = this.spilled.map((run) => new FileCursor(run.path, run.profiles));
      const cursors: RunCursor[] = [new ArrayCursor(this.run.entries), ...files];
      try {
        await mergeRuns(cursors, this.discarded, (winner) => {
          this.summary.count(winner.profile);
          return body.write(winner.source, winner.start, winner.end);
        });
      } finally {
        for (const file of files) file.close();
      }
      const digest = await body.end();
      const header = buildHeader({
        method: f.method,
        deviceCount: body.count,
        generatedTime: f.generatedTime,
        fetchedAt: this.options.fetchedAt.toISOString(),
        source: f.source,
        digest,
        incompleteReasons: f.incompleteReasons ?? [],
      });
      await assembleSnapshot(f.outPath, `${stem}.tmp`, JSON.stringify(header), body.path, this.gzipLevel);
      return { header, summary: this.summary.finish(), path: f.outPath };
    } catch (error) {
      body.abandon();
      throw error;
    } finally {
      rmSync(body.path, { force: true });
      rmSync(`${stem}.tmp`, { force: true });
      this.cleanup();
    }
  }

  /** Drops everything written so far (temp files included); for a fetch that failed. */
  abort(): void {
    this.closed = true;
    this.run.entries.length = 0;
    this.cleanup();
  }

  private spill(): void {
    const path = join(this.runDirectory, `${this.options.runPrefix ?? ""}run-${this.spilled.length}.bin`);
    this.run.spill(path);
    this.spilled.push({ path });
  }

  private cleanup(): void {
    for (const run of this.spilled) rmSync(run.path, { force: true });
    if (this.runDir !== undefined && this.ownsRunDir) rmSync(this.runDir, { recursive: true, force: true });
    this.runDir = undefined;
  }
}
