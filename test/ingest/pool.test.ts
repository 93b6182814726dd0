/**
 * Part workers (src/ingest): a part read in a worker thread must leave exactly what the same part read on the
 * main thread leaves (device lines, summary, located rejects, warnings), its errors must keep their codes, and
 * a worker that dies must fail the fetch with a typed error instead of leaving the snapshot short.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { gunzipSync, gzipSync } from "node:zlib";
import { ErrorCodes } from "../../src/errors";
import { defaultPartWorkers, PartPool } from "../../src/ingest/pool";
import { inlineParser, type PartParser } from "../../src/methods/part";
import { RecordCollector, SnapshotWriter } from "../../src/snapshot";
import { failure } from "../helpers/errors";
import { fileRecord } from "../normalize/fixtures";
import { expectedSetDigest } from "../snapshot/lines";
import { FETCHED_AT } from "../snapshot/make-device";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-pool-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function part(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(lines.join("\n")));
  return path;
}

/** 301 devices over two parts, with a reject, a warning and a duplicate whose newer copy is in the other part. */
function twoParts(): [string, string] {
  const record = (i: number, extra: Record<string, unknown> = {}): string =>
    JSON.stringify(fileRecord({ top: { DeviceId: `dev-${String(i).padStart(4, "0")}`, DeviceName: `host-${i}`, ...extra } }));
  const a = Array.from({ length: 150 }, (_, i) => record(i));
  const b = Array.from({ length: 150 }, (_, i) => record(i + 150));
  // Part b starts with a profile part a lacks (a passive device), so the two workers number profiles differently.
  b.unshift(JSON.stringify(fileRecord({ top: { DeviceId: "dev-0400", DeviceName: "passive" }, info: { AvMode: "1" } })));
  a.push(JSON.stringify(fileRecord({ top: { DeviceId: "" } })));
  a.push(record(999, { LastSeenTime: "not a time" }));
  b.push(record(5, { Timestamp: "2024-05-01T12:30:00Z", DeviceName: "host-5-newer" }));
  return [part("a.json.gz", ["", ...a, ""]), part("b.json.gz", b)];
}

interface Outcome {
  lines: string[];
  digest: string;
  summary: unknown;
  reasons: string[];
  warnings: number;
  samples: string[];
}

async function readAll(parts: string[], workers: number): Promise<Outcome> {
  const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT, tmpDir: dir });
  const collector = new RecordCollector(writer);
  const pool = workers > 0 ? new PartPool(writer, collector, { workers, fetchedAt: FETCHED_AT }) : undefined;
  const parse: PartParser = pool?.parse ?? inlineParser(collector);
  const counts = await Promise.all(parts.map((path, index) => parse(path, { index, total: parts.length }, collector.newBatch())));
  expect(counts).toEqual([152, 152]);
  await pool?.finish();
  const out = join(dir, `out-${workers}.ndjson.gz`);
  const written = await writer.finish({
    outPath: out,
    method: "files",
    generatedTime: null,
    source: { apiUrl: null, filter: null },
    incompleteReasons: collector.incompleteReasons(),
  });
  // Sorted: the lines of a schema-2 snapshot are a set, in whatever order the workers wrote them.
  const lines = gunzipSync(readFileSync(out)).toString("utf8").trimEnd().split("\n").slice(1).sort();
  expect(written.header.digest).toBe(expectedSetDigest(lines));
  return { lines, digest: written.header.digest, summary: written.summary, reasons: collector.incompleteReasons(), warnings: collector.warningCount, samples: collector.warningSamples };
}

describe("defaultPartWorkers", () => {
  it("takes AVHEALTH_PART_WORKERS when set, else one per core from two cores up to four", () => {
    expect(defaultPartWorkers({ AVHEALTH_PART_WORKERS: "0" })).toBe(0);
    expect(defaultPartWorkers({ AVHEALTH_PART_WORKERS: " 3 " })).toBe(3);
    const fromCores = defaultPartWorkers({});
    expect(fromCores).toBeGreaterThanOrEqual(0);
    expect(fromCores).toBeLessThanOrEqual(4);
    expect(fromCores).not.toBe(1);
  });

  it.each(["two", "-1", "1.5", "17"])("refuses AVHEALTH_PART_WORKERS=%s with a clear error", (value) => {
    let thrown: unknown;
    try {
      defaultPartWorkers({ AVHEALTH_PART_WORKERS: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, message: expect.stringContaining(`AVHEALTH_PART_WORKERS must be a whole number from 0 to 16`) });
  });
});

/** A writer, its collector and a pool of one worker over them. */
function onePool(): { writer: SnapshotWriter; collector: RecordCollector; pool: PartPool } {
  const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT, tmpDir: dir });
  const collector = new RecordCollector(writer);
  return { writer, collector, pool: new PartPool(writer, collector, { workers: 1, fetchedAt: FETCHED_AT }) };
}

describe("PartPool", () => {
  it("leaves the same set of lines, digest, summary, rejects and warnings as reading on the main thread", async () => {
    const parts = twoParts();
    const inline = await readAll(parts, 0);
    expect(inline.lines).toHaveLength(302);
    expect(inline.summary).toMatchObject({ deviceCount: 302, byAvMode: { active: 301, passive: 1 } });
    expect(inline.lines.filter((l) => l.includes('"machineId":"dev-0005"'))).toEqual([expect.stringContaining("host-5-newer")]);
    expect(inline.reasons).toEqual(["part 1 of 2, line 152: the record has no machine id; not included"]);
    expect(inline.warnings).toBe(1);
    expect(inline.samples).toEqual(['part 1 of 2, line 153: lastSeenTime: unparseable time "not a time"']);
    for (const workers of [1, 2, 3]) expect(await readAll(parts, workers)).toEqual(inline);
  });

  it("keeps the code and position of a damaged part, and drops that attempt's rejects", async () => {
    const { writer, collector, pool } = onePool();
    try {
      const bad = part("bad.json.gz", [JSON.stringify(fileRecord({ top: { DeviceId: "" } })), "{not json"]);
      const batch = collector.newBatch();
      const error = await failure(pool.parse(bad, { index: 2, total: 4 }, batch));
      expect(error.code).toBe(ErrorCodes.EXPORT_PART_CORRUPT);
      expect(error).toMatchObject({ details: { part: 3, line: 2 }, message: expect.stringContaining("part 3 of 4, line 2") });
      expect(collector.rejectedCount).toBe(0);
      // A zero-byte part is an empty part, not a broken one.
      expect(await pool.parse(part("empty.json.gz", []), { index: 0, total: 4 }, collector.newBatch())).toBe(0);
      const zero = join(dir, "zero.gz");
      writeFileSync(zero, "");
      expect(await pool.parse(zero, { index: 1, total: 4 }, collector.newBatch())).toBe(0);
    } finally {
      await pool.close();
      writer.abort();
    }
  });

  it("settles queued and in-flight parts on close, and starts no worker afterwards", async () => {
    const { writer, collector, pool } = onePool();
    const [a, b] = twoParts();
    const pending = [a, b, a].map((path, index) => pool.parse(path, { index, total: 3 }, collector.newBatch()).then(() => "read", (e: Error) => e.message));
    await pool.close();
    expect(await Promise.all(pending)).toEqual(["the part workers were stopped", "the part workers were stopped", "the part workers were stopped"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((pool as unknown as { slots: unknown[] }).slots).toHaveLength(0);
    await expect(pool.parse(a, { index: 0, total: 1 }, collector.newBatch())).rejects.toThrow("the part workers were stopped");
    writer.abort();
  });

  it("fails every later part with SNAPSHOT_INCOMPLETE when a worker dies", async () => {
    const { writer, collector, pool } = onePool();
    const [a, b] = twoParts();
    try {
      expect(await pool.parse(a, { index: 0, total: 2 }, collector.newBatch())).toBe(152);
      const worker = (pool as unknown as { slots: Array<{ worker: Worker }> }).slots[0]?.worker as Worker;
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      await worker.terminate();
      await exited;
      const error = await failure(pool.parse(b, { index: 1, total: 2 }, collector.newBatch()));
      expect(error.code).toBe(ErrorCodes.SNAPSHOT_INCOMPLETE);
      expect(error.message).toMatch(/part worker thread failed .*exited unexpectedly/);
      await expect(pool.finish()).rejects.toMatchObject({ code: ErrorCodes.SNAPSHOT_INCOMPLETE });
    } finally {
      await pool.close();
      writer.abort();
    }
  });
});
