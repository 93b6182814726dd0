/**
 * A part worker: reads spooled export parts (gunzip, NDJSON lines, JSON.parse, normalization, device lines) and
 * writes each device's line at once, hashed and compressed, to its own segment file in the fetch's segment
 * directory. For each part read it hands the fetch the part's device table (transferred, not copied); the
 * fetch de-duplicates across all parts at the end, and a failed part attempt's lines are never referenced.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseSpooled } from "../methods/part";
import { RecordCollector } from "../snapshot/collector";
import { SegmentWriter } from "../snapshot/segment";
import type { BatchTable } from "../snapshot/types";
import { LineMaker, type AddOptions } from "../snapshot/writer";
import type { NormalizedDevice } from "../model/device";
import { serializeError, type FromWorker, type ToWorker, type WorkerSetup } from "./protocol";

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error("part-worker runs only as a worker thread");

const maker = new LineMaker(new Date(setup.fetchedAt));
const segment = new SegmentWriter(setup.segmentPath, setup.gzipLevel);
const collector = new RecordCollector({
  newBatch: () => {
    throw new Error("batches are numbered by the fetch, not by a part worker");
  },
  add: (device: NormalizedDevice, options: AddOptions = {}) => {
    const { line, facts } = maker.make(device, options.order ?? 0);
    segment.add(options.batch ?? 0, line, facts);
  },
  discardBatch: (batch: number) => segment.drop(batch),
});
const reply = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on("message", (message: ToWorker) => {
  if (message.type === "finish") {
    segment.close().then(
      () => reply({ type: "finished", id: message.id }),
      (error: unknown) => reply({ type: "failed", id: message.id, error: serializeError(error) }),
    );
    return;
  }
  const { id, path, part, batch } = message;
  parseSpooled(path, part, collector, batch)
    .then(async (records) => ({ records, table: await segment.seal(batch) }))
    .then(
      ({ records, table }) => {
        const { rejects, warnings, warningSamples } = collector.takeBatch(batch);
        reply({ type: "part-done", id, records, rejects, warnings, warningSamples, table, profiles: [...maker.summary.registered] }, buffersOf(table));
      },
      (error: unknown) => {
        // The fetch discards the batch; its lines, rejects and warnings go with it.
        segment.drop(batch);
        collector.takeBatch(batch);
        reply({ type: "failed", id, error: serializeError(error) });
      },
    );
});

function buffersOf(table: BatchTable): ArrayBuffer[] {
  const columns = [table.hashes, table.time, table.order, table.profile, table.member, table.line, table.idKey, table.idCheck];
  // Every block is its own buffer (columns.ts), so none is listed twice.
  return columns.flatMap((blocks) => blocks.map((b) => b.buffer as ArrayBuffer));
}
