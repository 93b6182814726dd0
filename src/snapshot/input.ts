/**
 * `--snapshot` inputs, detected from content (README.md, "The command line", "Commands"):
 * - the tool's own snapshot file (gzip, line 1 `"kind":"avhealth-snapshot"`) is read as is;
 * - a JSON document `{"value":[...]}` or a JSON array of `/api/deviceavinfo` records;
 * - NDJSON, plain or gzip, of via-files export records;
 * - a directory: every export part in it (recursively, in path order).
 * Raw inputs go through the same normalization and writer as a fetch, into a temp snapshot that is removed at
 * process exit, so the digest equals that of a fetched snapshot of the same fleet.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, readSync, readdirSync, rmSync, statSync, type Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { basename, join, relative } from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";
import { RecordCollector } from "./collector";
import { invalid } from "./header";
import { ndjsonBatches } from "../normalize/ndjson";
import { readSnapshot, type OpenedSnapshot } from "./reader";
import type { FetchMethod } from "./types";
import { SnapshotWriter } from "./writer";

export type SnapshotInputKind = "snapshot" | "json-document" | "ndjson" | "export-directory";

export interface SnapshotInput extends OpenedSnapshot {
  inputKind: SnapshotInputKind;
}

export interface OpenInputOptions {
  /** Where converted inputs are written (default: a new directory under the OS temp directory). */
  tmpDir?: string;
}

const PART_FILE = /\.(json\.gz|ndjson\.gz|jsonl\.gz|gz|json|ndjson|jsonl)$/i;

export async function openSnapshotInput(path: string, options: OpenInputOptions = {}): Promise<SnapshotInput> {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.SNAPSHOT_NOT_FOUND, `--snapshot ${path} does not exist. Check the path, or take a snapshot with \`avhealth fetch\`.`, {
      cause,
      details: { file: path },
    });
  }
  if (stats.isDirectory()) {
    const parts = listParts(path);
    if (parts.length === 0) throw invalid(path, "the directory holds no export parts (*.json.gz, *.json, *.ndjson)");
    return convert("export-directory", "files", latestMtime(parts), async (collector) => {
      for (const part of parts) await addNdjson(collector, part, relative(path, part));
    });
  }
  const head = readHead(path, 64 * 1024);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (await isOwnSnapshot(path)) return { ...(await readSnapshot(path)), inputKind: "snapshot" };
    return convert("ndjson", "files", stats.mtime, (collector) => addNdjson(collector, path, basename(path)));
  }
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const start = text.trimStart();
  const firstLine = start.split("\n", 1)[0]?.trim() ?? "";
  const firstValue = tryParse(firstLine);
  if (isObject(firstValue) && firstValue.kind === "avhealth-snapshot") {
    throw invalid(path, "this avhealth snapshot is not gzip-compressed; compress it with gzip or take a new one with `avhealth fetch`");
  }
  if (start.startsWith("[") || (start.startsWith("{") && (firstValue === undefined || (isObject(firstValue) && Array.isArray(firstValue.value))))) {
    return convert("json-document", "json", stats.mtime, (collector) => addDocument(collector, path));
  }
  if (start.startsWith("{")) return convert("ndjson", "files", stats.mtime, (collector) => addNdjson(collector, path, basename(path)));
  throw invalid(path, "unrecognised input: expected an avhealth snapshot, a JSON document of devices, NDJSON export records or a directory of export parts");

  async function convert(
    kind: SnapshotInputKind,
    method: FetchMethod,
    fetchedAt: Date,
    fill: (collector: RecordCollector) => Promise<void>,
  ): Promise<SnapshotInput> {
    const dir = options.tmpDir ?? mkdtempSync(join(tmpdir(), "avhealth-input-"));
    if (options.tmpDir === undefined) process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    // The input's modification time stands for "when the data was taken": converting the same file twice gives the same header.
    const writer = new SnapshotWriter({ fetchedAt });
    const collector = new RecordCollector(writer);
    try {
      await fill(collector);
    } catch (error) {
      writer.abort();
      throw error;
    }
    const out = join(dir, "snapshot.ndjson.gz");
    // NDJSON of /api/deviceavinfo records is accepted too: the header names the shape actually read.
    const seen = collector.shapesSeen;
    await writer.finish({
      outPath: out,
      method: seen.size === 1 ? [...seen][0] as FetchMethod : method,
      generatedTime: null,
      source: { apiUrl: null, filter: null, methodReason: `converted from a local ${kind} input (${basename(path)})` },
      incompleteReasons: collector.incompleteReasons(),
    });
    return { ...(await readSnapshot(out)), inputKind: kind };
  }
}

async function addDocument(collector: RecordCollector, path: string): Promise<void> {
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(path, "utf8")).replace(/^\uFEFF/, ""));
  } catch (cause) {
    throw invalid(path, "the file is not valid JSON", cause);
  }
  const records = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.value) ? doc.value : undefined;
  if (records === undefined) throw invalid(path, 'expected a JSON array of device records or an object with a "value" array');
  const source = basename(path);
  records.forEach((raw: unknown, i) => collector.add(raw, "auto", { source, line: i + 1, unit: "record" }));
}

async function addNdjson(collector: RecordCollector, path: string, source: string): Promise<void> {
  const bad = (line: number, cause?: unknown): Error => invalid(path, "the line is not a JSON object", cause, line);
  const stream = openTextStream(path);
  try {
    for await (const { records, lines } of ndjsonBatches(stream, bad)) {
      records.forEach((raw, i) => collector.add(raw, "auto", { source, line: lines[i] as number }));
    }
  } catch (error) {
    if (error instanceof AvHealthError) throw error;
    throw invalid(path, "the file is not a complete gzip stream", error);
  } finally {
    stream.destroy();
  }
}

/** A local NDJSON file as text bytes: gunzipped when it starts with the gzip magic, as is otherwise. */
function openTextStream(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const head = readHead(path, 2);
  if (head[0] !== 0x1f || head[1] !== 0x8b) return file;
  const gunzip = createGunzip();
  pipeline(file, gunzip, () => undefined);
  return gunzip;
}

async function isOwnSnapshot(path: string): Promise<boolean> {
  const stream = openTextStream(path);
  try {
    for await (const { records } of ndjsonBatches(stream, () => new Error("not a snapshot"))) {
      const first = records[0];
      return isObject(first) && first.kind === "avhealth-snapshot";
    }
    return false;
  } catch {
    return false;
  } finally {
    stream.destroy();
  }
}

function listParts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listParts(full));
    // Spark writes _SUCCESS and similar markers beside the parts.
    else if (entry.isFile() && !entry.name.startsWith("_") && PART_FILE.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function latestMtime(paths: readonly string[]): Date {
  return new Date(Math.max(...paths.map((p) => statSync(p).mtimeMs)));
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
