/**
 * Reading one export part in two steps. The compressed blob is first spooled to a temp file at network speed,
 * then streamed from disk through gunzip and the NDJSON splitter into the sink, so a part is never held in
 * memory, and a slow consumer never stalls the download: a server may close a connection whose client stops
 * reading (the emulator does after 5 idle seconds), which would turn a busy client into endless part retries.
 * A part with no bytes at all is an empty part, not a broken gzip. A download that trickles (a byte now and
 * then keeps the dispatcher's idle timeout from firing) is given up by its pace (PartPace) as a broken part.
 */
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { join } from "node:path";
import { pipeline as pipelineAsync } from "node:stream/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import type { ApiClient } from "../http/types";
import { ndjsonBatches } from "../normalize/ndjson";
import { DEFAULT_PART_PACE, PaceGuard, type PartPace } from "./pace";
import type { RecordSink } from "./types";

/** Line numbers stay below this, so (part, line) gives every record a unique arrival order. */
const LINES_PER_PART = 2 ** 31;

export interface PartRef {
  index: number;
  total: number;
  url: string;
}

export function partName(part: PartPosition): string {
  return `part ${part.index + 1} of ${part.total}`;
}

/**
 * Reads a spooled part file into records under `batch` and resolves with the record count: in this thread
 * (inlineParser) or in a worker thread (src/ingest).
 */
export type PartParser = (path: string, part: PartPosition, batch: number) => Promise<number>;

export type PartPosition = Pick<PartRef, "index" | "total">;

export function inlineParser(sink: RecordSink): PartParser {
  return (path, part, batch) => parseSpooled(path, part, sink, batch);
}

/** Downloads one part into `spoolDir` and has `parse` read it under `batch`; resolves with the record count. */
export async function readPart(
  client: ApiClient,
  part: PartRef,
  parse: PartParser,
  batch: number,
  spoolDir: string,
  pace: PartPace = DEFAULT_PART_PACE,
): Promise<number> {
  const path = join(spoolDir, `part-${part.index}.gz`);
  try {
    const body = await client.getBlob(part.url);
    await pipelineAsync(body, new PaceGuard(pace, partName(part)), createWriteStream(path, { mode: 0o600 }));
    return await parse(path, { index: part.index, total: part.total }, batch);
  } finally {
    rmSync(path, { force: true });
  }
}

/** Streams a spooled part file through gunzip and the NDJSON splitter into `sink` under `batch`. */
export async function parseSpooled(path: string, part: PartPosition, sink: RecordSink, batch: number): Promise<number> {
  // 128 KB of output per chunk instead of 16: an eighth of the stream callbacks and line batches.
  const gunzip = createGunzip({ chunkSize: 128 * 1024 });
  pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), gunzip, () => undefined);
  const source = partName(part);
  const corrupt = (line: number, cause?: unknown): AvHealthError =>
    new AvHealthError(ErrorCodes.EXPORT_PART_CORRUPT, `${source}, line ${line}: not a JSON object (the download is damaged).`, {
      cause,
      details: { part: part.index + 1, line },
    });
  let count = 0;
  try {
    for await (const { records, lines } of ndjsonBatches(gunzip, corrupt)) {
      for (let i = 0; i < records.length; i++) {
        const line = lines[i] as number;
        sink.add(records[i], "files", { source, line }, { batch, order: part.index * LINES_PER_PART + line });
      }
      count += records.length;
    }
  } catch (error) {
    // A zero-byte body is an empty part; gunzip reports it as an unexpected end of file.
    if (gunzip.bytesWritten === 0 && (error as { code?: unknown }).code === "Z_BUF_ERROR") return 0;
    throw error;
  } finally {
    gunzip.destroy();
  }
  return count;
}

/** Failures worth downloading the part again for: network, gzip, damaged lines, HTTP statuses. */
export function isRetryablePartError(error: unknown): boolean {
  if (isAvHealthError(error)) {
    return error.code.startsWith("HTTP_") || error.code === ErrorCodes.EXPORT_PART_CORRUPT || error.code === ErrorCodes.EXPORT_PART_FAILED;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^(UND_ERR|Z_|E[A-Z]+$)/.test(code)) return true;
  // undici ends a body cut short with "terminated" or "other side closed".
  return error instanceof Error && /terminated|other side closed|aborted/i.test(error.message);
}
