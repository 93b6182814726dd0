import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { isAvHealthError } from "../../src/errors";
import { openSnapshotInput, readSnapshot, type SnapshotInput } from "../../src/snapshot";
import { fileRecord, jsonRecord } from "../normalize/fixtures";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-input-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ids = ["c3", "a1", "b2"];
const jsonFleet = ids.map((id) => jsonRecord({ machineId: id, id }));
const fileFleet = ids.map((id) => fileRecord({ top: { DeviceId: id } }));
const ndjson = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join("\r\n") + "\r\n\r\n";

/** The machineIds of the input's snapshot, sorted (a schema-2 snapshot keeps no order). */
async function machineIds(input: SnapshotInput): Promise<string[]> {
  const out: string[] = [];
  for await (const d of input.devices()) out.push(d.machineId);
  return out.sort();
}

async function open(name: string, content: string | Buffer): Promise<SnapshotInput> {
  const path = join(dir, name);
  writeFileSync(path, content);
  return openSnapshotInput(path, { tmpDir: mkdtempSync(join(dir, "conv-")) });
}

describe("openSnapshotInput", () => {
  it("converts every raw input kind of the same fleet to the same device lines and digest", async () => {
    const inputs = [
      await open("doc.json", JSON.stringify({ "@odata.context": "x", value: jsonFleet }, null, 2)),
      await open("oneline.json", JSON.stringify({ value: jsonFleet })),
      await open("array.json", "\uFEFF" + JSON.stringify(jsonFleet)),
      await open("part.ndjson", "\uFEFF" + ndjson(fileFleet)),
      await open("part.json.gz", gzipSync(ndjson(fileFleet))),
    ];
    expect(inputs.map((i) => i.inputKind)).toEqual(["json-document", "json-document", "json-document", "ndjson", "ndjson"]);
    expect(inputs.map((i) => i.header.method)).toEqual(["json", "json", "json", "files", "files"]);
    const digests = new Set(inputs.map((i) => i.header.digest));
    expect(digests.size).toBe(1);
    for (const input of inputs) {
      expect(await machineIds(input)).toEqual(["a1", "b2", "c3"]);
      expect(input.header.complete).toBe(true);
      expect(input.header.source.methodReason).toMatch(/^converted from a local /);
    }
  });

  it("reads a directory of export parts recursively, skipping markers, de-duplicating across parts", async () => {
    mkdirSync(join(dir, "parts", "_RbacGroupId=1"), { recursive: true });
    mkdirSync(join(dir, "parts", "_RbacGroupId=2"), { recursive: true });
    writeFileSync(join(dir, "parts", "_RbacGroupId=1", "part-00000-x.c000.json.gz"), gzipSync(ndjson(fileFleet.slice(0, 2))));
    writeFileSync(join(dir, "parts", "_RbacGroupId=2", "part-00000-y.c000.json.gz"), gzipSync(ndjson(fileFleet.slice(1))));
    writeFileSync(join(dir, "parts", "_RbacGroupId=2", "part-00001-z.c000.json.gz"), Buffer.alloc(0));
    writeFileSync(join(dir, "parts", "_SUCCESS"), "");
    const input = await openSnapshotInput(join(dir, "parts"), { tmpDir: mkdtempSync(join(dir, "conv-")) });
    expect(input.inputKind).toBe("export-directory");
    expect(await machineIds(input)).toEqual(["a1", "b2", "c3"]);
    const reference = await open("ref.json", JSON.stringify(jsonFleet));
    expect(input.header.digest).toBe(reference.header.digest);
  });

  it("names the shape actually read: NDJSON of JSON-API records is a json snapshot", async () => {
    const input = await open("api.ndjson", ndjson(jsonFleet));
    expect([input.inputKind, input.header.method, input.header.deviceCount]).toEqual(["ndjson", "json", 3]);
  });

  it("passes the tool's own snapshot through unchanged", async () => {
    const converted = await open("doc.json", JSON.stringify(jsonFleet));
    const again = await openSnapshotInput(converted.path);
    expect(again.inputKind).toBe("snapshot");
    expect(again.path).toBe(converted.path);
    expect(again.header).toEqual((await readSnapshot(converted.path)).header);
  });

  it("marks the snapshot incomplete, with the located reason, when a record has no id", async () => {
    const records = [...fileFleet, fileRecord({ top: { DeviceId: "" } })];
    const input = await open("part.ndjson", ndjson(records));
    expect(input.header.complete).toBe(false);
    expect(input.header.deviceCount).toBe(3);
    expect(input.header.incompleteReasons).toEqual(["part.ndjson, line 4: the record has no machine id; not included"]);
  });

  it.each<[string, string | Buffer, string, number | undefined]>([
    ["a malformed NDJSON line", ndjson(fileFleet.slice(0, 1)) + "{broken\n", "SNAPSHOT_INVALID", 3],
    ["a document without value", JSON.stringify({ items: [] }, null, 1), "SNAPSHOT_INVALID", 1],
    ["plain text", "hello\n", "SNAPSHOT_INVALID", 1],
    ["an uncompressed snapshot", '{"kind":"avhealth-snapshot"}\n', "SNAPSHOT_INVALID", 1],
  ])("refuses %s", async (_what, content, code, line) => {
    let thrown: unknown;
    await open("in.txt", content).catch((e: unknown) => (thrown = e));
    expect(isAvHealthError(thrown) ? [thrown.code, thrown.details.line] : thrown).toEqual([code, line]);
  });

  it("reports a missing path as SNAPSHOT_NOT_FOUND", async () => {
    await expect(openSnapshotInput(join(dir, "missing"))).rejects.toMatchObject({ code: "SNAPSHOT_NOT_FOUND" });
  });
});
