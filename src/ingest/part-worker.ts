/**
 * A part worker: reads spooled export parts (gunzip, NDJSON lines, JSON.parse, normalization, device lines)
 * into sorted runs of its own, in the fetch's run directory. The fetch adopts the runs at the end and merges
 * them with everything else, so de-duplication and the discarding of failed part attempts work across threads.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseSpooled } from "../methods/part";
import { RecordCollector } from "../snapshot/collector";
import { SnapshotWriter } from "../snapshot/writer";
import { serializeError, type FromWorker, type ToWorker, type WorkerSetup } from "./protocol";

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error("part-worker runs only as a worker thread");

const writer = new SnapshotWriter({
  fetchedAt: new Date(setup.fetchedAt),
  runDir: setup.runDir,
  runPrefix: setup.runPrefix,
  runBytes: setup.runBytes,
});
const collector = new RecordCollector(writer);
const reply = (message: FromWorker): void => port.postMessage(message);

port.on("message", (message: ToWorker) => {
  if (message.type === "finish") {
    try {
      reply({ type: "finished", id: message.id, exported: writer.exportRuns() });
    } catch (error) {
      reply({ type: "failed", id: message.id, error: serializeError(error) });
    }
    return;
  }
  const { id, path, part, batch } = message;
  parseSpooled(path, part, collector, batch).then(
    (records) => {
      const { rejects, warnings, warningSamples } = collector.takeBatch(batch);
      reply({ type: "part-done", id, records, rejects, warnings, warningSamples });
    },
    (error: unknown) => {
      // The fetch discards the batch; its rejects and warnings go with it.
      collector.takeBatch(batch);
      reply({ type: "failed", id, error: serializeError(error) });
    },
  );
});
