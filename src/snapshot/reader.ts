/**
 * Reading a snapshot file as a stream: the header up front, the devices on demand (each call to devices()
 * reads the file again, so a caller may iterate twice). Every line is checked; the digest and the device count
 * are verified when the iteration reaches the end, so a caller that consumed every device has verified data.
 */
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { AvHealthError, ErrorCodes } from "../errors";
import type { NormalizedDevice } from "../model/device";
import { readLineBatches } from "../normalize/lines";
import { parseDeviceLine } from "./device-line";
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
  const hash = createHash("sha256");
  let lineNo = 0;
  let previous: string | undefined;
  for await (const batch of lineBatches(path)) {
    for (const text of batch) {
      lineNo++;
      if (lineNo === 1) continue;
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
  const count = Math.max(0, lineNo - 1);
  if (count !== header.deviceCount) {
    throw invalid(path, `the header says ${header.deviceCount} devices but the file has ${count}`, undefined, lineNo);
  }
  const digest = `sha256:${hash.digest("hex")}`;
  if (digest !== header.digest) throw invalid(path, "the device lines do not match the header digest", undefined, lineNo);
}
