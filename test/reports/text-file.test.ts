import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { utf8Blocks, writeTextFile } from "../../src/reports/text-file";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "avhealth-text-file-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const chunks = (): string[] => Array.from({ length: 3000 }, (_, i) => `${i}: München 😀 "x"\n`);

describe("utf8Blocks", () => {
  it("encodes the chunks into blocks no larger than asked, never splitting a character", () => {
    const blocks = [...utf8Blocks(chunks(), 100)];
    expect(blocks.length).toBeGreaterThan(100);
    for (const block of blocks) expect(block.length).toBeLessThanOrEqual(100);
    expect(Buffer.concat(blocks).toString("utf8")).toBe(chunks().join(""));
  });

  it("gives a chunk larger than a block a buffer of its own, in order", () => {
    const big = "é".repeat(500);
    const blocks = [...utf8Blocks(["a", big, "b"], 64)];
    expect(blocks.map((b) => b.toString("utf8"))).toEqual(["a", big, "b"]);
  });

  it("hands out a fresh buffer per block (a consumer may keep each)", () => {
    const blocks = [...utf8Blocks(["x".repeat(40), "y".repeat(40), "z".repeat(40)], 128)];
    expect(blocks.map((b) => b.toString())).toEqual(["x".repeat(40), "y".repeat(40), "z".repeat(40)]);
  });
});

describe("writeTextFile", () => {
  it("writes the chunks as UTF-8, plain or gzip-compressed (gzip magic bytes, same text once gunzipped)", async () => {
    const plain = path.join(root, "a.json");
    const gz = path.join(root, "a.json.gz");
    await writeTextFile(plain, chunks());
    await writeTextFile(gz, chunks(), "gzip");
    expect(readFileSync(plain, "utf8")).toBe(chunks().join(""));
    const compressed = readFileSync(gz);
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    expect(compressed.length).toBeLessThan(readFileSync(plain).length / 4);
    expect(gunzipSync(compressed).toString("utf8")).toBe(chunks().join(""));
  });

  it("gives the same compressed bytes for the same text (no time in the gzip header)", async () => {
    await writeTextFile(path.join(root, "1.gz"), chunks(), "gzip");
    await writeTextFile(path.join(root, "2.gz"), chunks(), "gzip");
    expect(readFileSync(path.join(root, "1.gz")).equals(readFileSync(path.join(root, "2.gz")))).toBe(true);
    expect(readFileSync(path.join(root, "1.gz")).readUInt32LE(4)).toBe(0);
  });

  it("rejects when the file cannot be written", async () => {
    await expect(writeTextFile(path.join(root, "missing", "x.gz"), chunks(), "gzip")).rejects.toMatchObject({ code: "ENOENT" });
  });
});
