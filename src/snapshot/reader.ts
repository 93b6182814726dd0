/**
 * Reading a snapshot file as a stream: the header up front, the devices on demand (each call to devices()
 * reads the file again, so a caller may iterate twice). Every line is checked, and a line beyond the header's
 * device count is refused as soon as it is read; the digest, the device count
 * and the one-line-per-machineId rule are verified when the iteration reaches the end, so a caller that
 * consumed every device has verified data. Devices come in file order, which means nothing for schema 2.
 */
import { createHash, hash as oneShotHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { AvHealthError, ErrorCodes } from "../errors";
import type { NormalizedDevice } from "../model/device";
import { readLineBatches } from "../normalize/lines";
import { parseDeviceLine } from "./device-line";
import { hasRepeatedHash, HashList, setDigest } from "./digest";
import { IdKeys } from "./id-keys";
import { invalid, parseHeader } from "./header";
import type { SnapshotHeader } from "./types";

export interface OpenedSnapshot {
  header: SnapshotHeader;
  path: string;
  devices(): AsyncIterable<NormalizedDevice>;
}

export async function readSnapshot(path: string): Promise<OpenedSnapshot> {
  assertFile(path);
  const header = await readHeader(path);
  return { header, path, devices: () => readDevices(path, header) };
}

function assertFile(path: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (cause) {
    throw new AvHealthError(
      ErrorCodes.SNAPSHOT_NOT_FOUND,
      `Snapshot file ${path} does not exist. Take one with \`avhealth fetch --out ${path}\`, or check the path.`,
      { cause, details: { file: path } },
    );
  }
  if (!isFile) throw invalid(path, "this is not a regular file");
}

/** Gunzipped line batches of a snapshot file; a file that is not gzip is SNAPSHOT_INVALID. */
async function* lineBatches(path: string): AsyncGenerator<string[]> {
  const gunzip = createGunzip({ chunkSize: 128 * 1024 });
  pipeline(createReadStream(path), gunzip, () => undefined);
  try {
    yield* readLineBatches(gunzip, { tooLong: (line) => invalid(path, "line is too long", undefined, line) });
  } catch (error) {
    if (error instanceof AvHealthError) throw error;
    throw invalid(path, "the file is not a complete gzip stream", error);
  } finally {
    gunzip.destroy();
  }
}

async function readHeader(path: string): Promise<SnapshotHeader> {
  for await (const batch of lineBatches(path)) {
    if (batch.length > 0) return parseHeader(batch[0] as string, path);
  }
  throw invalid(path, "the file is empty");
}

async function* readDevices(path: string, header: SnapshotHeader): AsyncGenerator<NormalizedDevice> {
  yield* header.schemaVersion === 1 ? readSortedDevices(path, header) : readSetDevices(path, header);
}

/** Schema 2: lines in any order; the digest is over the set of lines (digest.ts). */
async function* readSetDevices(path: string, header: SnapshotHeader): AsyncGenerator<NormalizedDevice> {
  const hashes = new HashList();
  const ids = new IdKeys();
  let lineNo = 0;
  let previous: Buffer | undefined;
  for await (const batch of lineBatches(path)) {
    for (const text of batch) {
      lineNo++;
      if (lineNo === 1) continue;
      checkNotBeyondCount(path, header, lineNo);
      const device = parseDeviceLine(text);
      if (typeof device === "string") throw invalid(path, `device line ${device}`, undefined, lineNo);
      const lineHash = oneShotHash("sha256", text, "buffer") as unknown as Buffer;
      // A line equal to the one before is refused at once: a gzip of one repeated line is tiny and endless.
      if (previous !== undefined && previous.equals(lineHash)) throw invalid(path, "a device line appears twice", undefined, lineNo);
      previous = lineHash;
      hashes.push(lineHash);
      ids.add(device.machineId);
      yield device;
    }
  }
  checkCount(path, header, lineNo);
  if (setDigest(hashes.buffer, hashes.count) !== header.digest) throw invalid(path, "the device lines do not match the header digest", undefined, lineNo);
  // Equal lines have equal hashes, next to each other once sorted; a digest over them can still match.
  if (hasRepeatedHash(hashes.buffer, hashes.count)) throw invalid(path, "a device line appears twice", undefined, lineNo);
  const repeated = await ids.firstRepeated(async function* () {
    let n = 0;
    for await (const batch of lineBatches(path)) {
      for (const text of batch) if (n++ > 0) yield (parseDeviceLine(text) as NormalizedDevice).machineId;
    }
  });
  if (repeated !== undefined) throw invalid(path, `machineId ${JSON.stringify(repeated.slice(0, 80))} has more than one device line`, undefined, lineNo);
}

/** Schema 1: lines sorted by machineId without duplicates; the digest is the sha256 of the lines. */
async function* readSortedDevices(path: string, header: SnapshotHeader): AsyncGenerator<NormalizedDevice> {
  const hash = createHash("sha256");
  let lineNo = 0;
  let previous: string | undefined;
  for await (const batch of lineBatches(path)) {
    for (const text of batch) {
      lineNo++;
      if (lineNo === 1) continue;
      checkNotBeyondCount(path, header, lineNo);
      const device = parseDeviceLine(text);
      if (typeof device === "string") throw invalid(path, `device line ${device}`, undefined, lineNo);
      if (previous !== undefined && !(previous < device.machineId)) {
        throw invalid(path, "device lines are not sorted by machineId without duplicates", undefined, lineNo);
      }
      previous = device.machineId;
      hash.update(text + "\n");
      yield device;
    }
  }
  checkCount(path, header, lineNo);
  const digest = `sha256:${hash.digest("hex")}`;
  if (digest !== header.digest) throw invalid(path, "the device lines do not match the header digest", undefined, lineNo);
}

/**
 * Refuses a file as soon as it has more device lines than its header says, before the extra line is parsed or
 * kept: what the reader keeps per line (a hash, an id key) would otherwise grow with a file that never ends.
 */
function checkNotBeyondCount(path: string, header: SnapshotHeader, lineNo: number): void {
  if (lineNo - 1 > header.deviceCount) {
    throw invalid(path, `the file has more device lines than the ${header.deviceCount} its header's deviceCount says`, undefined, lineNo);
  }
}

function checkCount(path: string, header: SnapshotHeader, lineNo: number): void {
  const count = Math.max(0, lineNo - 1);
  if (count !== header.deviceCount) {
    throw invalid(path, `the header says ${header.deviceCount} devices but the file has ${count}`, undefined, lineNo);
  }
}
