import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { serializeDevice, type NormalizedDevice } from "../../src/model/device";
import { SnapshotWriter, type FinishOptions } from "../../src/snapshot";
import { FETCHED_AT, makeDevice } from "./make-device";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-writer-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const finish = (outPath: string, extra: Partial<FinishOptions> = {}): FinishOptions => ({
  outPath,
  method: "json",
  generatedTime: null,
  source: { apiUrl: "https://api.example", filter: null },
  ...extra,
});

function fileLines(path: string): string[] {
  const text = gunzipSync(readFileSync(path)).toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

function shuffled(n: number, seed = 7): NormalizedDevice[] {
  const devices = Array.from({ length: n }, (_, i) => makeDevice({ machineId: `m-${String(i).padStart(5, "0")}`, rbacGroupId: i % 3 }));
  let s = seed;
  for (let i = devices.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [devices[i], devices[j]] = [devices[j] as NormalizedDevice, devices[i] as NormalizedDevice];
  }
  return devices;
}

describe("SnapshotWriter", () => {
  it("sorts by machineId, writes the header in spec key order and a digest over the device lines", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    for (const id of ["c", "a", "b"]) writer.add(makeDevice({ machineId: id }));
    const out = join(dir, "s.ndjson.gz");
    const { header } = await writer.finish(finish(out, { generatedTime: "2024-05-01T22:01:00.000Z" }));
    const lines = fileLines(out);
    expect(lines[0]).toBe(
      '{"kind":"avhealth-snapshot","schemaVersion":1,"method":"json","complete":true,"deviceCount":3,' +
        '"generatedTime":"2024-05-01T22:01:00.000Z","fetchedAt":"2024-05-02T00:00:00.000Z",' +
        `"source":{"apiUrl":"https://api.example","filter":null},"digest":"${header.digest}"}`,
    );
    const deviceLines = lines.slice(1);
    expect(deviceLines.map((l) => (JSON.parse(l) as NormalizedDevice).machineId)).toEqual(["a", "b", "c"]);
    const expected = createHash("sha256").update(deviceLines.map((l) => l + "\n").join("")).digest("hex");
    expect(header.digest).toBe(`sha256:${expected}`);
    expect(deviceLines[0]).toBe(serializeDevice(makeDevice({ machineId: "a" })));
  });

  it("keeps the newest dataRefreshTimestamp per machineId, and on a tie the later-seen record", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    writer.add(makeDevice({ machineId: "x", dataRefreshTimestamp: "2024-05-01T12:00:00.000Z", computerDnsName: "newest" }));
    writer.add(makeDevice({ machineId: "x", dataRefreshTimestamp: "2024-04-01T12:00:00.000Z", computerDnsName: "older" }));
    writer.add(makeDevice({ machineId: "x", dataRefreshTimestamp: null, computerDnsName: "none" }));
    writer.add(makeDevice({ machineId: "y", computerDnsName: "first" }));
    writer.add(makeDevice({ machineId: "y", computerDnsName: "second" }));
    const out = join(dir, "d.ndjson.gz");
    const { header, summary } = await writer.finish(finish(out));
    const names = fileLines(out).slice(1).map((l) => (JSON.parse(l) as NormalizedDevice).computerDnsName);
    expect(names).toEqual(["newest", "second"]);
    expect(header.deviceCount).toBe(2);
    expect(summary.deviceCount).toBe(2);
  });

  it("gives byte-identical files whether or not runs were spilled, and removes its temp files", async () => {
    const devices = shuffled(2500);
    const outs: string[] = [];
    for (const runBytes of [64 * 1024 * 1024, 40_000]) {
      const tmp = mkdtempSync(join(dir, "runs-"));
      const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT, runBytes, tmpDir: tmp });
      devices.forEach((d) => writer.add(d));
      // a duplicate arriving much later, in another run, with a newer timestamp wins
      writer.add(makeDevice({ machineId: "m-00042", rbacGroupId: 0, dataRefreshTimestamp: "2024-05-01T23:00:00.000Z" }));
      const out = join(dir, `out-${runBytes}.ndjson.gz`);
      await writer.finish(finish(out));
      expect(readdirSync(tmp)).toEqual([]);
      outs.push(out);
    }
    const [a, b] = outs.map((p) => fileLines(p as string));
    expect(b).toEqual(a);
    expect(a).toHaveLength(2501);
    expect((JSON.parse(a?.[43] as string) as NormalizedDevice).dataRefreshTimestamp).toBe("2024-05-01T23:00:00.000Z");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("drops discarded batches, also from spilled runs, and restores what a discarded duplicate hid", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT, runBytes: 5_000 });
    writer.add(makeDevice({ machineId: "keep", computerDnsName: "original" }));
    const bad = writer.newBatch();
    for (let i = 0; i < 50; i++) writer.add(makeDevice({ machineId: `lost-${i}` }), { batch: bad });
    writer.add(makeDevice({ machineId: "keep", computerDnsName: "from-bad", dataRefreshTimestamp: "2030-01-01T00:00:00.000Z" }), { batch: bad });
    const good = writer.newBatch();
    writer.add(makeDevice({ machineId: "other" }), { batch: good });
    writer.discardBatch(bad);
    const out = join(dir, "b.ndjson.gz");
    const { header } = await writer.finish(finish(out));
    const devices = fileLines(out).slice(1).map((l) => JSON.parse(l) as NormalizedDevice);
    expect(devices.map((d) => [d.machineId, d.computerDnsName])).toEqual([["keep", "original"], ["other", "pc1.contoso.com"]]);
    expect(header.deviceCount).toBe(2);
  });

  it("frees the run memory when everything in it is discarded (auto's probe), and takes new lines after", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    const probe = writer.newBatch();
    for (let i = 0; i < 20; i++) writer.add(makeDevice({ machineId: `probe-${i}` }), { batch: probe });
    const run = (writer as unknown as { run: { size: number; bytes?: Buffer } }).run;
    const buffer = run.bytes as Buffer;
    expect(buffer.length).toBeGreaterThan(0);
    writer.discardBatch(probe);
    expect(run.size).toBe(0);
    expect(run.bytes).toBeUndefined();
    // The memory was handed away, not just dropped: the old buffer is detached.
    expect(buffer.buffer.byteLength).toBe(0);
    const part = writer.newBatch();
    writer.add(makeDevice({ machineId: "from-part" }), { batch: part });
    const failed = writer.newBatch();
    writer.discardBatch(failed);
    expect(run.size).toBe(1);
    const out = join(dir, "p.ndjson.gz");
    const { header } = await writer.finish(finish(out));
    expect(header.deviceCount).toBe(1);
    expect(fileLines(out).slice(1).map((l) => (JSON.parse(l) as NormalizedDevice).machineId)).toEqual(["from-part"]);
  });

  it("writes complete:false with the reasons last, and counts the summary of the kept devices", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    writer.add(makeDevice({ machineId: "a", avMode: "passive", avIsSignatureUpToDate: false, osKind: "linux", rbacGroupName: null, rbacGroupId: 5 }));
    writer.add(makeDevice({ machineId: "b", avIsEngineUpToDate: null, osKind: null, rbacGroupName: "__proto__", dataRefreshTimestamp: null, lastSeenTime: "2024-04-20T00:00:00.000Z" }));
    writer.add(makeDevice({ machineId: "c", dataRefreshTimestamp: null, lastSeenTime: null, rbacGroupName: null, rbacGroupId: null }));
    writer.add(makeDevice({ machineId: "a", avMode: "active" , dataRefreshTimestamp: "2024-01-01T00:00:00.000Z" }));
    const out = join(dir, "i.ndjson.gz");
    const { header, summary } = await writer.finish(finish(out, { method: "files", incompleteReasons: ["part 2 of 3: failed after 4 attempts"] }));
    expect(Object.keys(header)).toEqual(["kind", "schemaVersion", "method", "complete", "deviceCount", "generatedTime", "fetchedAt", "source", "digest", "incompleteReasons"]);
    expect(header.complete).toBe(false);
    expect(header.incompleteReasons).toEqual(["part 2 of 3: failed after 4 attempts"]);
    expect(summary).toEqual({
      deviceCount: 3,
      byAvMode: { active: 2, passive: 1, disabled: 0, other: 0, edrBlocked: 0, passiveAudit: 0 },
      bySignatureUpToDate: { true: 2, false: 1, unknown: 0 },
      byEngineUpToDate: { true: 2, false: 0, unknown: 1 },
      byPlatformUpToDate: { true: 3, false: 0, unknown: 0 },
      byOsKind: { "(none)": 1, linux: 1, windows: 1 },
      byRbacGroup: { "(none)": 1, "5": 1, ["__proto__"]: 1 },
      stale: 2,
    });
    expect(Object.getPrototypeOf(summary.byRbacGroup)).toBe(Object.prototype);
  });

  it("writes an empty fleet as a header-only snapshot with the digest of no lines", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    const out = join(dir, "e.ndjson.gz");
    const { header } = await writer.finish(finish(out));
    expect(fileLines(out)).toHaveLength(1);
    expect(header.digest).toBe(`sha256:${createHash("sha256").digest("hex")}`);
    expect(header.deviceCount).toBe(0);
  });
});
