/**
 * Part workers for the files method. On a machine with several cores, the CPU-heavy reading of export parts
 * (gunzip, JSON.parse of each line and its nested strings, normalization, device lines, hashing and gzip)
 * happens in worker threads while the main thread downloads; each worker writes its lines to a segment file in
 * the fetch writer's segment directory and hands over each part's device table, which the writer adopts.
 * Workers start on the first part, read one part at a time each, and are stopped by finish() or close().
 */
import { availableParallelism } from "node:os";
import { extname, join } from "node:path";
import type { Worker } from "node:worker_threads";
import { AvHealthError, ErrorCodes } from "../errors";
import type { PartParser, PartPosition } from "../methods/part";
import type { RecordCollector } from "../snapshot/collector";
import type { SnapshotWriter } from "../snapshot/writer";
import { reviveError, type FromWorker, type ToWorker, type WorkerSetup } from "./protocol";
import { spawnModuleWorker } from "./spawn";

/**
 * Parsing allocates many short-lived objects per record; a larger young generation lets most of them die
 * before a collection has to copy them.
 */
const YOUNG_GENERATION_MB = 32;

const ENTRY = join(__dirname, `part-worker${extname(__filename)}`);

const MAX_PART_WORKERS = 16;

/**
 * Workers for a machine: none on one core (the main thread reads parts itself), else one per core up to 4.
 * AVHEALTH_PART_WORKERS overrides it (0 reads parts on the main thread).
 */
export function defaultPartWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.AVHEALTH_PART_WORKERS;
  if (configured !== undefined && configured.trim() !== "") {
    if (!/^\d+$/.test(configured.trim()) || Number(configured) > MAX_PART_WORKERS) {
      throw new AvHealthError(
        ErrorCodes.CONFIG_INVALID,
        `AVHEALTH_PART_WORKERS must be a whole number from 0 to ${MAX_PART_WORKERS} (0 reads export parts on the main thread); it is "${configured.slice(0, 40)}".`,
        { details: { variable: "AVHEALTH_PART_WORKERS" } },
      );
    }
    return Number(configured);
  }
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores);
}

interface Task {
  message: ToWorker;
  resolve: (reply: FromWorker) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

export class PartPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private broken: AvHealthError | undefined;
  private stopped = false;

  constructor(
    private readonly writer: SnapshotWriter,
    private readonly collector: RecordCollector,
    private readonly options: { workers: number; fetchedAt: Date },
  ) {}

  /** Reads a spooled part in a worker; the records join the collector's batch as if read here. */
  readonly parse: PartParser = async (path: string, part: PartPosition, batch: number): Promise<number> => {
    const reply = await this.submit({ type: "part", id: this.nextId++, path, part, batch });
    if (reply.type !== "part-done") throw new Error(`part worker answered ${reply.type} to a part`);
    this.writer.adoptBatch(batch, reply.table, reply.profiles);
    this.collector.importBatch(batch, reply);
    // Rejected records were never added, as on the main thread.
    this.writer.countAddedElsewhere(reply.records - reply.rejects.length);
    return reply.records;
  };

  /** Has every worker close its segment file (each part's lines are on disk once it is reported) and stops them. */
  async finish(): Promise<void> {
    try {
      const replies = await Promise.all(this.slots.map((slot) => this.send(slot, { type: "finish", id: this.nextId++ })));
      for (const reply of replies) {
        if (reply.type !== "finished") throw new Error(`part worker answered ${reply.type} to finish`);
      }
    } finally {
      await this.close();
    }
  }

  /**
   * Stops the workers (their segment files are left to the writer's clean-up). Every part still queued or being
   * read is settled first, and nothing is dispatched afterwards, so no worker starts while others stop.
   */
  async close(): Promise<void> {
    this.stopped = true;
    const stopped = new Error("the part workers were stopped");
    const slots = this.slots.splice(0);
    for (const task of this.queue.splice(0)) task.reject(stopped);
    for (const slot of slots) {
      slot.task?.reject(stopped);
      slot.task = undefined;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private submit(message: ToWorker): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.broken !== undefined) return reject(this.broken);
      if (this.stopped) return reject(new Error("the part workers were stopped"));
      this.queue.push({ message, resolve, reject });
      this.dispatch();
    });
  }

  /** Sends a message to one given worker (finish goes to each worker, not to whichever is idle). */
  private send(slot: Slot, message: ToWorker): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.broken !== undefined) return reject(this.broken);
      slot.task = { message, resolve, reject };
      slot.worker.postMessage(message);
    });
  }

  private dispatch(): void {
    if (this.stopped || this.broken !== undefined) return;
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.task === undefined) ?? this.grow();
      if (slot === undefined) return;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.worker.postMessage(task.message);
    }
  }

  /** A new worker while fewer than the configured number run. */
  private grow(): Slot | undefined {
    if (this.slots.length >= this.options.workers) return undefined;
    const n = this.slots.length;
    const setup: WorkerSetup = {
      fetchedAt: this.options.fetchedAt.toISOString(),
      segmentPath: join(this.writer.segmentDirectory, `w${n}.seg`),
      gzipLevel: this.writer.level,
    };
    const slot: Slot = { worker: spawnModuleWorker(ENTRY, setup, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }), task: undefined };
    slot.worker.on("message", (reply: FromWorker) => {
      const task = slot.task;
      slot.task = undefined;
      if (task !== undefined) {
        if (reply.type === "failed") task.reject(reviveError(reply.error));
        else task.resolve(reply);
      }
      this.dispatch();
    });
    slot.worker.on("error", (error) => this.fail(slot, error));
    slot.worker.on("exit", (code) => {
      if (!this.stopped) this.fail(slot, new Error(`a part worker exited unexpectedly with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  /** A worker that died takes its runs with it: nothing read so far can be trusted to be complete. */
  private fail(slot: Slot, cause: Error): void {
    if (this.broken !== undefined) return;
    this.broken = new AvHealthError(
      ErrorCodes.SNAPSHOT_INCOMPLETE,
      `A part worker thread failed (${cause.message}); the parts it had read are lost, so no snapshot was written.`,
      { cause, details: { reason: "worker-failed" } },
    );
    slot.task?.reject(this.broken);
    slot.task = undefined;
    for (const other of this.slots) {
      other.task?.reject(this.broken);
      other.task = undefined;
    }
    for (const task of this.queue.splice(0)) task.reject(this.broken);
  }
}
