import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { isAvHealthError } from "../../src/errors";
import { serializeDevice, type NormalizedDevice } from "../../src/model/device";
import { readSnapshot, SnapshotWriter } from "../../src/snapshot";
import { IdKeys } from "../../src/snapshot/id-keys";
import { expectedSetDigest } from "./lines";
import { FETCHED_AT, makeDevice } from "./make-device";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-reader-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function written(ids: string[], incompleteReasons: string[] = []): Promise<string> {
  const writer = new SnapshotWriter({ fetchedAt: FETCHED_AT });
  ids.forEach((id) => writer.add(makeDevice({ machineId: id })));
  const out = join(dir, "s.ndjson.gz");
  await writer.finish({ outPath: out, method: "files", generatedTime: null, source: { apiUrl: null, filter: null, methodReason: "test" }, incompleteReasons });
  return out;
}

async function all(path: string): Promise<NormalizedDevice[]> {
  const out: NormalizedDevice[] = [];
  for await (const d of (await readSnapshot(path)).devices()) out.push(d);
  return out;
}

/** Rewrites the gunzipped text of a snapshot with `edit` and gzips it again. */
function tamper(path: string, edit: (lines: string[]) => string[]): void {
  const lines = gunzipSync(readFileSync(path)).toString("utf8").split("\n");
  writeFileSync(path, gzipSync(edit(lines).join("\n")));
}

/** Writes a snapshot by hand: `header` fields over a schema-2 header, the device lines as given. */
function handWritten(lines: string[], header: Record<string, unknown> = {}): string {
  const path = join(dir, "hand.ndjson.gz");
  const base = {
    kind: "avhealth-snapshot", schemaVersion: 2, method: "json", complete: true, deviceCount: lines.length, generatedTime: null,
    fetchedAt: FETCHED_AT.toISOString(), source: { apiUrl: null, filter: null }, digest: expectedSetDigest(lines),
  };
  writeFileSync(path, gzipSync([JSON.stringify({ ...base, ...header }), ...lines, ""].join("\n")));
  return path;
}

/** A schema-1 snapshot as version 1 wrote it: lines sorted by machineId, digest = sha256 of the lines. */
function schema1(lines: string[], digestOf: string[] = lines): string {
  const digest = `sha256:${createHash("sha256").update(digestOf.map((l) => l + "\n").join("")).digest("hex")}`;
  return handWritten(lines, { schemaVersion: 1, digest });
}

const line = (id: string, extra: Partial<NormalizedDevice> = {}): string => serializeDevice(makeDevice({ machineId: id, ...extra }));

async function codeOf(run: () => Promise<unknown>): Promise<[string | undefined, unknown]> {
  try {
    await run();
  } catch (error) {
    return isAvHealthError(error) ? [error.code, error.details.line] : [String(error), undefined];
  }
  return [undefined, undefined];
}

describe("readSnapshot", () => {
  it("returns the header and streams the devices, as often as asked", async () => {
    const path = await written(["b", "a", "c"], ["part 1 of 2 failed"]);
    const snapshot = await readSnapshot(path);
    expect(snapshot.header.schemaVersion).toBe(2);
    expect(snapshot.header.deviceCount).toBe(3);
    expect(snapshot.header.complete).toBe(false);
    expect(snapshot.header.incompleteReasons).toEqual(["part 1 of 2 failed"]);
    expect(snapshot.header.source).toEqual({ apiUrl: null, filter: null, methodReason: "test" });
    expect((await all(path)).map((d) => d.machineId).sort()).toEqual(["a", "b", "c"]);
    expect((await all(path)).find((d) => d.machineId === "a")).toEqual(makeDevice({ machineId: "a" }));
  });

  it("reads schema-2 lines in any order: the digest is over the set", async () => {
    const path = await written(["a", "b", "c"]);
    tamper(path, (l) => [l[0] as string, l[3] as string, l[1] as string, l[2] as string, ""]);
    expect((await all(path)).map((d) => d.machineId).sort()).toEqual(["a", "b", "c"]);
  });

  it("still reads a schema-1 snapshot and verifies its digest and order as version 1 did", async () => {
    const lines = [line("a"), line("b"), line("c")];
    expect((await all(schema1(lines))).map((d) => d.machineId)).toEqual(["a", "b", "c"]);
    expect((await readSnapshot(schema1(lines))).header.schemaVersion).toBe(1);
    expect(await codeOf(() => all(schema1([line("a"), line("b", { computerDnsName: "evil" }), line("c")], lines)))).toEqual(["SNAPSHOT_INVALID", 4]);
    const unsorted = [line("b"), line("a"), line("c")];
    expect(await codeOf(() => all(schema1(unsorted)))).toEqual(["SNAPSHOT_INVALID", 3]);
    // A schema-1 file with a schema-2 digest is damaged too: each version has its own.
    expect(await codeOf(() => all(handWritten(lines, { schemaVersion: 1 })))).toEqual(["SNAPSHOT_INVALID", 4]);
  });

  it("refuses an unknown schema version with a message that says to fetch again", async () => {
    const error = await readSnapshot(handWritten([line("a")], { schemaVersion: 3 })).catch((e: unknown) => e);
    expect(isAvHealthError(error) && error.code).toBe("SNAPSHOT_INVALID");
    expect((error as Error).message).toMatch(/schemaVersion 3 is not supported .*avhealth fetch/);
  });

  it.each<[string, string[]]>([
    ["the same line twice", [line("a"), line("b"), line("a")]],
    ["two lines for one machineId", [line("a"), line("b"), line("a", { computerDnsName: "other" })]],
  ])("refuses %s even under a matching digest", async (_what, lines) => {
    expect(await codeOf(() => all(handWritten(lines)))).toEqual(["SNAPSHOT_INVALID", 4]);
  });

  describe("a small gzip of many lines", () => {
    /** Reads until the reader refuses, counting what it handed out first. */
    async function readUntilRefused(path: string): Promise<{ yielded: number; error: unknown }> {
      let yielded = 0;
      try {
        for await (const _ of (await readSnapshot(path)).devices()) yielded++;
      } catch (error) {
        return { yielded, error };
      }
      return { yielded, error: undefined };
    }

    /** A gzip far smaller than its text: a header, then `count` device lines made by `lineAt`. */
    function bomb(header: Record<string, unknown>, count: number, lineAt: (i: number) => string): string {
      const path = join(dir, "bomb.ndjson.gz");
      const base = {
        kind: "avhealth-snapshot", schemaVersion: 2, method: "json", complete: true, generatedTime: null,
        fetchedAt: FETCHED_AT.toISOString(), source: { apiUrl: null, filter: null }, digest: expectedSetDigest([]),
      };
      const text = [JSON.stringify({ ...base, ...header })];
      for (let i = 0; i < count; i++) text.push(lineAt(i));
      writeFileSync(path, gzipSync(text.join("\n") + "\n", { level: 9 }));
      return path;
    }

    it.each([1, 2])("refuses the first line beyond the header's deviceCount (schema %i), naming the file and the count", async (schemaVersion) => {
      const template = line("device-00000000");
      const path = bomb({ schemaVersion, deviceCount: 3 }, 200_000, (i) => template.replace("device-00000000", `device-${String(i).padStart(8, "0")}`));
      const { yielded, error } = await readUntilRefused(path);
      expect(yielded).toBe(3);
      expect(isAvHealthError(error) && [error.code, error.details.line, error.details.file]).toEqual(["SNAPSHOT_INVALID", 5, path]);
      expect((error as Error).message).toContain(`${path}:5: the file has more device lines than the 3 its header's deviceCount says`);
    });

    it("refuses one line repeated as soon as it repeats, whatever the header's count", async () => {
      const repeated = line("a");
      const path = bomb({ deviceCount: 1_000_000_000 }, 200_000, () => repeated);
      const { yielded, error } = await readUntilRefused(path);
      expect(yielded).toBe(1);
      expect(isAvHealthError(error) && [error.code, error.details.line]).toEqual(["SNAPSHOT_INVALID", 3]);
      expect((error as Error).message).toContain("a device line appears twice");
    });
  });

  it("reports a missing file as SNAPSHOT_NOT_FOUND", async () => {
    expect(await codeOf(() => readSnapshot(join(dir, "nope.gz")))).toEqual(["SNAPSHOT_NOT_FOUND", undefined]);
  });

  it.each<[string, (lines: string[]) => string[], number]>([
    ["a changed device value", (l) => l.map((x, i) => (i === 2 ? x.replace('"pc1.contoso.com"', '"evil"') : x)), 4],
    ["a removed device", (l) => l.filter((_, i) => i !== 2), 3],
    ["a non-JSON line", (l) => l.map((x, i) => (i === 2 ? "{oops" : x)), 3],
    ["a wrongly typed field", (l) => l.map((x, i) => (i === 3 ? x.replace('"avMode":"active"', '"avMode":"0"') : x)), 4],
  ])("refuses %s as SNAPSHOT_INVALID at the line", async (_what, edit, at) => {
    const path = await written(["a", "b", "c"]);
    tamper(path, edit);
    expect(await codeOf(() => all(path))).toEqual(["SNAPSHOT_INVALID", at]);
  });

  it.each<[string, Buffer]>([
    ["not gzip", Buffer.from('{"kind":"avhealth-snapshot"}\n')],
    ["an empty gzip", gzipSync("")],
    ["a foreign header", gzipSync('{"kind":"something-else"}\n')],
    ["a truncated gzip", gzipSync('{"kind":"avhealth-snapshot"}\n'.repeat(200)).subarray(0, 30)],
  ])("refuses %s as SNAPSHOT_INVALID", async (_what, bytes) => {
    const path = join(dir, "bad.gz");
    writeFileSync(path, bytes);
    expect((await codeOf(() => readSnapshot(path)))[0]).toBe("SNAPSHOT_INVALID");
  });
});

describe("IdKeys", () => {
  async function* each(ids: string[]): AsyncGenerator<string> {
    yield* ids;
  }

  it("tells colliding keys from repeated ids by reading the ids again", async () => {
    const collide = (): number => 1;
    const distinct = new IdKeys(collide);
    ["a", "b", "c"].forEach((id) => distinct.add(id));
    expect(await distinct.firstRepeated(() => each(["a", "b", "c"]))).toBeUndefined();
    const repeated = new IdKeys(collide);
    ["a", "b", "a"].forEach((id) => repeated.add(id));
    expect(await repeated.firstRepeated(() => each(["a", "b", "a"]))).toBe("a");
  });

  it("needs no second read when no keys collide", async () => {
    const keys = new IdKeys();
    for (let i = 0; i < 5000; i++) keys.add(`device-${i}`);
    expect(await keys.firstRepeated(() => { throw new Error("read again"); })).toBeUndefined();
  });
});
