import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { serializeDevice, type NormalizedDevice } from "../../src/model/device";
import { SnapshotWriter, type FinishOptions } from "../../src/snapshot";
import { MEMBER_BYTES } from "../../src/snapshot/segment";
import { expectedSetDigest, fileLines, lineSet } from "./lines";
import { FETCHED_AT, makeDevice } from "./make-device";


/** Makes node:crypto's randomBytes return 0x07 bytes (the module object the code under test calls through). */
function fixRandomBytes(): void {
  const crypto = jest.requireActual<typeof import("node:crypto")>("node:crypto");
  jest.spyOn(crypto, "randomBytes").mockImplementation(((size: number) => Buffer.alloc(size, 7)) as unknown as typeof crypto.randomBytes);
}

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

function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function fleet(n: number): NormalizedDevice[] {
  return Array.from({ length: n }, (_, i) => makeDevice({ machineId: `m-${String(i).padStart(5, "0")}`, rbacGroupId: i % 3 }));
}

const names = (path: string): Array<string | null> => lineSet(path).map((l) => (JSON.parse(l) as NormalizedDevice).computerDnsName);

describe("SnapshotWriter", () => {
  it("writes the schema-2 header in spec key order and a digest over the set of device lines", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    for (const id of ["c", "a", "b"]) writer.add(makeDevice({ machineId: id }));
    const out = join(dir, "s.ndjson.gz");
    const { header } = await writer.finish(finish(out, { generatedTime: "2024-05-01T22:01:00.000Z" }));
    const { header: line1, lines } = fileLines(out);
    expect(line1).toBe(
      '{"kind":"avhealth-snapshot","schemaVersion":2,"method":"json","complete":true,"deviceCount":3,' +
        '"generatedTime":"2024-05-01T22:01:00.000Z","fetchedAt":"2024-05-02T00:00:00.000Z",' +
        `"source":{"apiUrl":"https://api.example","filter":null},"digest":"${header.digest}"}`,
    );
    expect(lines.map((l) => (JSON.parse(l) as NormalizedDevice).machineId).sort()).toEqual(["a", "b", "c"]);
    expect(header.digest).toBe(expectedSetDigest(lines));
    // Not the schema-1 digest (sha256 of the sorted lines), so the two can never be confused.
    const v1 = createHash("sha256").update([...lines].sort().map((l) => l + "\n").join("")).digest("hex");
    expect(header.digest).not.toBe(`sha256:${v1}`);
    expect(lineSet(out)[0]).toBe(serializeDevice(makeDevice({ machineId: "a" })));
  });

  it("gives the same digest and set of lines whatever the order of arrival and the batches", async () => {
    const devices = fleet(3000);
    const digests: string[] = [];
    const sets: string[][] = [];
    for (const [k, order] of [devices, shuffled(devices, 3), shuffled(devices, 11)].entries()) {
      const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT, tmpDir: dir });
      const batches = [0, writer.newBatch(), writer.newBatch()];
      order.forEach((d, i) => writer.add(d, { batch: batches[(i + k) % 3], order: Number(d.machineId.slice(2)) }));
      const out = join(dir, `o-${k}.ndjson.gz`);
      digests.push((await writer.finish(finish(out))).header.digest);
      sets.push(lineSet(out));
    }
    expect(new Set(digests).size).toBe(1);
    expect(sets[1]).toEqual(sets[0]);
    expect(sets[2]).toEqual(sets[0]);
    expect(sets[0]).toHaveLength(3000);
    expect(digests[0]).toBe(expectedSetDigest(sets[0] as string[]));
  });

  it("keeps the newest dataRefreshTimestamp per machineId, and on a tie the highest order, whatever the arrival", async () => {
    const copies = [
      { d: makeDevice({ machineId: "x", dataRefreshTimestamp: "2024-05-01T12:00:00.000Z", computerDnsName: "newest" }), order: 1 },
      { d: makeDevice({ machineId: "x", dataRefreshTimestamp: "2024-04-01T12:00:00.000Z", computerDnsName: "older" }), order: 5 },
      { d: makeDevice({ machineId: "x", dataRefreshTimestamp: null, computerDnsName: "none" }), order: 9 },
      { d: makeDevice({ machineId: "y", computerDnsName: "first" }), order: 2 },
      { d: makeDevice({ machineId: "y", computerDnsName: "second" }), order: 3 },
    ];
    for (const [k, arrival] of [copies, [...copies].reverse(), shuffled(copies, 5)].entries()) {
      const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
      arrival.forEach(({ d, order }) => writer.add(d, { order, batch: order % 2 === 0 ? 0 : writer.newBatch() }));
      const out = join(dir, `d-${k}.ndjson.gz`);
      const { header, summary } = await writer.finish(finish(out));
      expect(names(out)).toEqual(["newest", "second"]);
      expect(header.deviceCount).toBe(2);
      expect(summary.deviceCount).toBe(2);
      expect(header.digest).toBe(expectedSetDigest(lineSet(out)));
    }
  });

  it("drops a losing duplicate from the middle of a multi-member batch, and removes its temp files", async () => {
    // Three gzip members' worth of lines in one batch: the loser (line 43) sits inside the first member.
    const devices = fleet(Math.ceil((3 * MEMBER_BYTES) / serializeDevice(makeDevice()).length));
    const tmp = mkdtempSync(join(dir, "segments-"));
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT, tmpDir: tmp });
    devices.forEach((d, i) => writer.add(d, { order: i }));
    writer.add(makeDevice({ machineId: "m-00042", rbacGroupId: 0, dataRefreshTimestamp: "2024-05-01T23:00:00.000Z" }), { order: devices.length });
    const out = join(dir, "out.ndjson.gz");
    const { header } = await writer.finish(finish(out));
    const lines = lineSet(out);
    expect(lines).toHaveLength(devices.length);
    expect(header.deviceCount).toBe(devices.length);
    expect(lines.filter((l) => l.includes('"m-00042"')).map((l) => (JSON.parse(l) as NormalizedDevice).dataRefreshTimestamp)).toEqual(["2024-05-01T23:00:00.000Z"]);
    expect(header.digest).toBe(expectedSetDigest(lines));
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("drops discarded batches, and restores what a discarded duplicate hid", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    writer.add(makeDevice({ machineId: "keep", computerDnsName: "original" }));
    const bad = writer.newBatch();
    for (let i = 0; i < 50; i++) writer.add(makeDevice({ machineId: `lost-${i}` }), { batch: bad });
    writer.add(makeDevice({ machineId: "keep", computerDnsName: "from-bad", dataRefreshTimestamp: "2030-01-01T00:00:00.000Z" }), { batch: bad });
    const good = writer.newBatch();
    writer.add(makeDevice({ machineId: "other" }), { batch: good });
    writer.discardBatch(bad);
    // A discarded batch stays discarded: a late line for it is not kept either.
    writer.add(makeDevice({ machineId: "late" }), { batch: bad });
    writer.discardBatch(bad);
    const out = join(dir, "b.ndjson.gz");
    const { header } = await writer.finish(finish(out));
    const devices = lineSet(out).map((l) => JSON.parse(l) as NormalizedDevice);
    expect(devices.map((d) => [d.machineId, d.computerDnsName])).toEqual([["keep", "original"], ["other", "pc1.contoso.com"]]);
    expect(header.deviceCount).toBe(2);
  });

  it("forgets a discarded batch's table at once (auto's probe), and takes new lines after", async () => {
    const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
    const probe = writer.newBatch();
    for (let i = 0; i < 20; i++) writer.add(makeDevice({ machineId: `probe-${i}` }), { batch: probe });
    const segment = (writer as unknown as { segment: { openBatches: number[] } }).segment;
    expect(segment.openBatches).toEqual([probe]);
    writer.discardBatch(probe);
    expect(segment.openBatches).toEqual([]);
    const part = writer.newBatch();
    writer.add(makeDevice({ machineId: "from-part" }), { batch: part });
    const out = join(dir, "p.ndjson.gz");
    const { header } = await writer.finish(finish(out));
    expect(header.deviceCount).toBe(1);
    expect(lineSet(out).map((l) => (JSON.parse(l) as NormalizedDevice).machineId)).toEqual(["from-part"]);
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
    expect(gunzipSync(readFileSync(out)).toString("utf8").split("\n")).toHaveLength(2);
    expect(header.digest).toBe(`sha256:${createHash("sha256").digest("hex")}`);
    expect(header.deviceCount).toBe(0);
  });

  describe("file permissions (a snapshot lists the fleet's devices)", () => {
    afterEach(() => jest.restoreAllMocks());

    it("writes the snapshot readable by its owner only, replacing an existing file's mode", async () => {
      const out = join(dir, "s.ndjson.gz");
      writeFileSync(out, "old", { mode: 0o644 });
      const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
      fleet(3).forEach((d) => writer.add(d));
      await writer.finish(finish(out));
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(["s.ndjson.gz"]);
    });

    it("never writes through a file or link planted at its temp name", async () => {
      // The temp name made as predictable as it can be: a fixed clock and fixed "random" bytes.
      jest.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
      fixRandomBytes();
      const victim = join(dir, "victim.txt");
      writeFileSync(victim, "precious");
      const out = join(dir, "s.ndjson.gz");
      // Links at every temp name the writer could derive from those: pid and clock, or the random bytes.
      const planted = [`.s.ndjson.gz.${process.pid}.1700000000000.tmp`, ...[8, 12, 16].map((n) => `.s.ndjson.gz.${"07".repeat(n)}.tmp`)];
      for (const name of planted) symlinkSync(victim, join(dir, name));
      const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
      fleet(3).forEach((d) => writer.add(d));
      const error = await writer.finish(finish(out)).catch((e: unknown) => e);
      expect((error as NodeJS.ErrnoException).code).toBe("EEXIST");
      expect(readFileSync(victim, "utf8")).toBe("precious");
      expect(() => lstatSync(out)).toThrow(/ENOENT/);
    });
  });
});
