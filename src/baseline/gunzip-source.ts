/**
 * The decompressed bytes of a gzip file, handed to the synchronous JSON pull reader chunk by chunk. Node has no
 * public synchronous streaming inflate (zlib's *Sync functions take and return whole buffers, and a 441 MB
 * report must not be held whole), so a worker thread gunzips the file as a stream and passes each chunk
 * through a shared buffer; the reader's thread blocks on Atomics.wait until the next chunk is there. The worker
 * fills the slot while the reader parses the previous chunk, so decompression and parsing overlap.
 *
 * A damaged file (truncated, corrupt, not gzip after all) surfaces as a GzipInputError from read().
 */
import { Worker } from "node:worker_threads";

export class GzipInputError extends Error {}

/** What JsonReader pulls bytes from: fills `into` from its start, returns the count, 0 at the end. */
export interface ChunkSource {
  read(into: Buffer): number;
  close(): void;
}

const SLOT_BYTES = 1 << 18;
/** Header words: the slot's state, its byte count, and the reader's "stop" request. */
const STATE = 0;
const LENGTH = 1;
const CANCEL = 2;
const EMPTY = 0;
const FULL = 1;
const END = 2;
const FAILED = 3;
const HEADER_BYTES = 16;
/** With no chunk for this long the worker is taken to be gone (it never is in practice: it reports its errors). */
const STALL_MS = 60_000;

/** Plain JavaScript, run with eval, so it works the same from the build and from the TypeScript tests. */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { createReadStream } = require("node:fs");
const { pipeline } = require("node:stream/promises");
const { createGunzip } = require("node:zlib");
const ctrl = new Int32Array(workerData.shared, 0, 4);
const slot = new Uint8Array(workerData.shared, ${HEADER_BYTES});
function put(state, bytes) {
  for (;;) {
    if (Atomics.load(ctrl, ${CANCEL}) === 1) return false;
    if (Atomics.load(ctrl, ${STATE}) === ${EMPTY}) break;
    Atomics.wait(ctrl, ${STATE}, ${FULL}, 200);
  }
  if (bytes !== null) slot.set(bytes);
  ctrl[${LENGTH}] = bytes === null ? 0 : bytes.length;
  Atomics.store(ctrl, ${STATE}, state);
  Atomics.notify(ctrl, ${STATE});
  return true;
}
class Cancelled extends Error {}
pipeline(createReadStream(workerData.file, { highWaterMark: 1 << 20 }), createGunzip({ chunkSize: ${SLOT_BYTES} }), async function (source) {
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += ${SLOT_BYTES}) if (!put(${FULL}, chunk.subarray(at, at + ${SLOT_BYTES}))) throw new Cancelled();
  }
}).then(
  () => put(${END}, null),
  (error) => {
    if (!(error instanceof Cancelled)) put(${FAILED}, Buffer.from(String(error && error.message ? error.message : error).slice(0, ${SLOT_BYTES / 4})));
  },
);
`;

export class GunzipFileSource implements ChunkSource {
  private readonly ctrl: Int32Array;
  private readonly slot: Uint8Array;
  private readonly worker: Worker;
  /** Bytes of the current slot already handed out (when `into` was smaller than the slot). */
  private taken = 0;
  private done = false;

  constructor(file: string) {
    const shared = new SharedArrayBuffer(HEADER_BYTES + SLOT_BYTES);
    this.ctrl = new Int32Array(shared, 0, 4);
    this.slot = new Uint8Array(shared, HEADER_BYTES);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, file } });
    this.worker.unref();
  }

  read(into: Buffer): number {
    if (this.done) return 0;
    let waited = 0;
    for (;;) {
      const state = Atomics.load(this.ctrl, STATE);
      if (state === FULL) return this.take(into);
      if (state === END) {
        this.done = true;
        return 0;
      }
      if (state === FAILED) {
        const message = Buffer.from(this.slot.subarray(0, this.ctrl[LENGTH])).toString("utf8");
        this.close();
        throw new GzipInputError(message);
      }
      if (Atomics.wait(this.ctrl, STATE, EMPTY, 1000) === "timed-out" && (waited += 1000) >= STALL_MS) {
        this.close();
        throw new GzipInputError(`no data from the decompressing thread for ${STALL_MS / 1000} s`);
      }
    }
  }

  /** Stops the worker (also when the reader gave up early, e.g. on a syntax error). */
  close(): void {
    this.done = true;
    Atomics.store(this.ctrl, CANCEL, 1);
    Atomics.notify(this.ctrl, STATE);
    void this.worker.terminate();
  }

  private take(into: Buffer): number {
    const length = this.ctrl[LENGTH] as number;
    const n = Math.min(into.length, length - this.taken);
    into.set(this.slot.subarray(this.taken, this.taken + n), 0);
    this.taken += n;
    if (this.taken === length) {
      this.taken = 0;
      Atomics.store(this.ctrl, STATE, EMPTY);
      Atomics.notify(this.ctrl, STATE);
    }
    return n;
  }
}
