/**
 * One fetch per cache key: callers in one process share it, processes wait for the one that claimed the key, a
 * claim left by a dead process is taken over, and a failed or incomplete fetch is handled as the contract says.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { SnapshotCache, SnapshotFetcher, type FetchInto } from "../../src/cache";
import type { SnapshotHeader } from "../../src/snapshot/types";

const KEY = "0123456789abcdef0123456789abcdef";
const SUMMARY = { deviceCount: 1, byAvMode: {}, bySignatureUpToDate: tri(), byEngineUpToDate: tri(), byPlatformUpToDate: tri(), byOsKind: {}, byRbacGroup: {}, stale: 0 };

function tri() {
  return { true: 0, false: 0, unknown: 0 };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-fetcher-"));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** A fetch that writes a one-line file; `gate` holds it until released, `complete` decides the header. */
function fakeFetch(label: string, options: { gate?: Promise<void>; complete?: boolean; fail?: Error } = {}) {
  let calls = 0;
  const fetchInto: FetchInto = async (outPath) => {
    calls += 1;
    await options.gate;
    if (options.fail) throw options.fail;
    await fs.writeFile(outPath, label);
    const complete = options.complete ?? true;
    const header: SnapshotHeader = {
      kind: "avhealth-snapshot",
      schemaVersion: 1,
      method: "json",
      complete,
      deviceCount: 1,
      generatedTime: null,
      fetchedAt: new Date().toISOString(),
      source: { apiUrl: "https://127.0.0.1:9", filter: null },
      digest: `sha256:${createHash("sha256").update(label).digest("hex")}`,
      ...(complete ? {} : { incompleteReasons: ["part 2 failed"] }),
    };
    return { header, summary: SUMMARY, path: outPath };
  };
  return { fetchInto, calls: () => calls };
}

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

const fast = { pollMs: 5 };

describe("SnapshotFetcher", () => {
  it("shares one pending fetch between callers of one process", async () => {
    const fetcher = new SnapshotFetcher(new SnapshotCache(dir), fast);
    const fetch = fakeFetch("one");
    const [a, b] = await Promise.all([fetcher.get(KEY, 300, fetch.fetchInto), fetcher.get(KEY, 300, fetch.fetchInto)]);
    expect(fetch.calls()).toBe(1);
    expect(a.origin).toBe("fetched");
    expect(b.entry.header.digest).toBe(a.entry.header.digest);
    const third = await fetcher.get(KEY, 300, fetch.fetchInto);
    expect(third.origin).toBe("cache");
    expect(fetch.calls()).toBe(1);
  });

  it("makes a second process wait for the first one's fetch and use its snapshot", async () => {
    const gate = deferred();
    const first = fakeFetch("first", { gate: gate.promise });
    const second = fakeFetch("second");
    const waits: string[] = [];
    const a = new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, first.fetchInto);
    await until(() => first.calls() === 1);
    const b = new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, second.fetchInto, { onWait: () => waits.push("wait") });
    await until(() => waits.length === 1);
    gate.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(second.calls()).toBe(0);
    expect(rb.origin).toBe("waited");
    expect(rb.entry.header.digest).toBe(ra.entry.header.digest);
    await expect(fs.readdir(path.join(dir, "entries"))).resolves.toEqual([`${KEY}.json`]);
  });

  it("hands an incomplete snapshot to the waiting process too, so both judge the same data", async () => {
    const gate = deferred();
    const first = fakeFetch("partial", { gate: gate.promise, complete: false });
    const second = fakeFetch("second");
    const a = new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, first.fetchInto);
    await until(() => first.calls() === 1);
    const b = new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, second.fetchInto);
    gate.release();
    const rb = await b;
    await a;
    expect(second.calls()).toBe(0);
    expect(rb.entry.header.complete).toBe(false);
    // A later run does not reuse it: incomplete snapshots are never served from the cache.
    const later = fakeFetch("later");
    const rc = await new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, later.fetchInto);
    expect(later.calls()).toBe(1);
    expect(rc.entry.header.complete).toBe(true);
  });

  it("fetches itself when the process it waited for failed", async () => {
    const gate = deferred();
    const first = fakeFetch("x", { gate: gate.promise, fail: new Error("token refused") });
    const second = fakeFetch("second");
    const a = new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, first.fetchInto);
    await until(() => first.calls() === 1);
    const b = new SnapshotFetcher(new SnapshotCache(dir), fast).get(KEY, 300, second.fetchInto);
    gate.release();
    await expect(a).rejects.toThrow("token refused");
    const rb = await b;
    expect(second.calls()).toBe(1);
    expect(rb.origin).toBe("fetched");
  });

  it("takes over a claim whose process is gone", async () => {
    await fs.mkdir(path.join(dir, "entries"), { recursive: true });
    await fs.writeFile(path.join(dir, "entries", `${KEY}.claim`), JSON.stringify({ pid: 4_000_000, host: os.hostname(), at: Date.now() }));
    const fetch = fakeFetch("after-crash");
    const result = await new SnapshotFetcher(new SnapshotCache(dir), { ...fast, isAlive: () => false }).get(KEY, 300, fetch.fetchInto);
    expect(fetch.calls()).toBe(1);
    expect(result.origin).toBe("fetched");
    await expect(fs.readdir(path.join(dir, "entries"))).resolves.toEqual([`${KEY}.json`]);
  });

  it("takes over a claim older than the stale limit even when its process is alive", async () => {
    await fs.mkdir(path.join(dir, "entries"), { recursive: true });
    await fs.writeFile(path.join(dir, "entries", `${KEY}.claim`), JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() - 10_000 }));
    const fetch = fakeFetch("late");
    await new SnapshotFetcher(new SnapshotCache(dir), { ...fast, staleMs: 1_000 }).get(KEY, 300, fetch.fetchInto);
    expect(fetch.calls()).toBe(1);
  });

  it("with cacheTtl 0 neither reuses nor waits", async () => {
    const fetcher = new SnapshotFetcher(new SnapshotCache(dir), fast);
    const fetch = fakeFetch("fresh");
    await fetcher.get(KEY, 0, fetch.fetchInto);
    await fetcher.get(KEY, 0, fetch.fetchInto);
    expect(fetch.calls()).toBe(2);
  });
});

describe("a cache directory is not trusted", () => {
  /** An entry as someone with write access to the cache directory would plant it: the file and its entry. */
  async function plant(label: string, entry: { storedAt: string; complete: boolean }) {
    const digest = createHash("sha256").update(label).digest("hex");
    await fs.mkdir(path.join(dir, "snapshots"), { recursive: true });
    await fs.mkdir(path.join(dir, "entries"), { recursive: true });
    const file = path.join(dir, "snapshots", `${digest}.ndjson.gz`);
    await fs.writeFile(file, label);
    const header = { kind: "avhealth-snapshot", schemaVersion: 2, method: "json", complete: entry.complete, deviceCount: 1, generatedTime: null, fetchedAt: "2026-01-01T00:00:00.000Z", source: { apiUrl: null, filter: null }, digest: `sha256:${digest}` };
    await fs.writeFile(path.join(dir, "entries", `${KEY}.json`), JSON.stringify({ header, summary: SUMMARY, path: file, storedAt: entry.storedAt }));
  }

  it("ignores an entry stored in the future, with a warning, and fetches", async () => {
    await plant("healthy-day", { storedAt: new Date(Date.now() + 3_600_000).toISOString(), complete: true });
    const warnings: string[] = [];
    const fetch = fakeFetch("today");
    const result = await new SnapshotFetcher(new SnapshotCache(dir, undefined, (w) => warnings.push(w)), fast).get(KEY, 300, fetch.fetchInto);
    expect(fetch.calls()).toBe(1);
    expect(result.origin).toBe("fetched");
    expect(result.entry.header.digest).toBe(`sha256:${createHash("sha256").update("today").digest("hex")}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^the cache entry 0123456789ab… in .* says it was stored at "\d{4}-.*", which is not a past time: it is not trusted/);
  });

  it("does not take a planted entry as another process's fetch when the claim it waited on was stale", async () => {
    // The revived-entry attack: an expired entry of a healthy day, stored "in the future" and behind a stale claim.
    await plant("healthy-day", { storedAt: new Date(Date.now() + 1_500).toISOString(), complete: false });
    await fs.writeFile(path.join(dir, "entries", `${KEY}.claim`), JSON.stringify({ pid: 4_000_000, host: os.hostname(), at: Date.now() - 1_000 }));
    const fetch = fakeFetch("today");
    const result = await new SnapshotFetcher(new SnapshotCache(dir), { ...fast, isAlive: () => false }).get(KEY, 300, fetch.fetchInto);
    expect(fetch.calls()).toBe(1);
    expect(result.origin).toBe("fetched");
    expect(result.entry.header.digest).toBe(`sha256:${createHash("sha256").update("today").digest("hex")}`);
  });

  it.each([
    ["made in the future", { pid: process.pid, at: Date.now() + 3_600_000 }],
    ["by no possible process", { pid: -1, at: Date.now() }],
  ])("takes over a claim %s instead of waiting on it", async (_name, record) => {
    await fs.mkdir(path.join(dir, "entries"), { recursive: true });
    await fs.writeFile(path.join(dir, "entries", `${KEY}.claim`), JSON.stringify({ ...record, host: os.hostname() }));
    const fetch = fakeFetch("own");
    const result = await new SnapshotFetcher(new SnapshotCache(dir), { ...fast, isAlive: () => true }).get(KEY, 300, fetch.fetchInto);
    expect(fetch.calls()).toBe(1);
    expect(result.origin).toBe("fetched");
  });
});

describe("two processes started at the same moment", () => {
  // Real processes on the built library (npm test builds before jest runs).
  const script = `
    const fs = require("node:fs");
    const { createHash } = require("node:crypto");
    const { SnapshotCache, SnapshotFetcher } = require(${JSON.stringify(path.resolve(__dirname, "../../dist/src/cache"))});
    const [dir, log] = process.argv.slice(1);
    const fetchInto = async (outPath) => {
      fs.appendFileSync(log, process.pid + "\\n");
      await new Promise((r) => setTimeout(r, 400));
      fs.writeFileSync(outPath, "fleet");
      const digest = "sha256:" + createHash("sha256").update("fleet").digest("hex");
      const header = { kind: "avhealth-snapshot", schemaVersion: 1, method: "json", complete: true, deviceCount: 1, generatedTime: null,
        fetchedAt: new Date().toISOString(), source: { apiUrl: null, filter: null }, digest };
      return { header, summary: { deviceCount: 1 }, path: outPath };
    };
    new SnapshotFetcher(new SnapshotCache(dir), { pollMs: 10 })
      .get("${KEY}", 300, fetchInto)
      .then((r) => process.stdout.write(JSON.stringify({ origin: r.origin, digest: r.entry.header.digest })));
  `;

  it("fetch once: one process fetches, the other waits and reads the same snapshot", async () => {
    const log = path.join(dir, "fetches.log");
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["-e", script, dir, log], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("close", (code) => resolve({ code, out }));
      });
    const results = await Promise.all([run(), run()]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const parsed = results.map((r) => JSON.parse(r.out) as { origin: string; digest: string });
    expect(parsed.map((p) => p.origin).sort()).toEqual(["fetched", "waited"]);
    expect(parsed[0].digest).toBe(parsed[1].digest);
    expect((await fs.readFile(log, "utf8")).trim().split("\n")).toHaveLength(1);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error("condition not reached");
}
