import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { isAvHealthError } from "../../src/errors";
import type { NormalizedDevice } from "../../src/model/device";
import { readSnapshot, SnapshotWriter } from "../../src/snapshot";
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
    expect(snapshot.header.deviceCount).toBe(3);
    expect(snapshot.header.complete).toBe(false);
    expect(snapshot.header.incompleteReasons).toEqual(["part 1 of 2 failed"]);
    expect(snapshot.header.source).toEqual({ apiUrl: null, filter: null, methodReason: "test" });
    expect((await all(path)).map((d) => d.machineId)).toEqual(["a", "b", "c"]);
    expect((await all(path))[0]).toEqual(makeDevice({ machineId: "a" }));
  });

  it("reports a missing file as SNAPSHOT_NOT_FOUND", async () => {
    expect(await codeOf(() => readSnapshot(join(dir, "nope.gz")))).toEqual(["SNAPSHOT_NOT_FOUND", undefined]);
  });

  it.each<[string, (lines: string[]) => string[], number]>([
    ["a changed device value", (l) => l.map((x, i) => (i === 2 ? x.replace('"pc1.contoso.com"', '"evil"') : x)), 4],
    ["a removed device", (l) => l.filter((_, i) => i !== 2), 3],
    ["a non-JSON line", (l) => l.map((x, i) => (i === 2 ? "{oops" : x)), 3],
    ["a wrongly typed field", (l) => l.map((x, i) => (i === 3 ? x.replace('"avMode":"active"', '"avMode":"0"') : x)), 4],
    ["an unsorted file", (l) => [l[0] as string, l[2] as string, l[1] as string, l[3] as string, ""], 3],
  ])("refuses %s as SNAPSHOT_INVALID at the line", async (_what, edit, line) => {
    const path = await written(["a", "b", "c"]);
    tamper(path, edit);
    expect(await codeOf(() => all(path))).toEqual(["SNAPSHOT_INVALID", line]);
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
