import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { GunzipFileSource, GzipInputError } from "./gunzip-source";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "avhealth-gunzip-source-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** 3 MB of varied text: several slots of the decompressing thread. */
const TEXT = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `{"machineId": "${i.toString(16).padStart(40, "0")}"},\n`).join(""));

function readAll(source: GunzipFileSource, size: number): Buffer {
  const parts: Buffer[] = [];
  const into = Buffer.alloc(size);
  for (let n = source.read(into); n > 0; n = source.read(into)) parts.push(Buffer.from(into.subarray(0, n)));
  return Buffer.concat(parts);
}

describe("GunzipFileSource", () => {
  it.each([1 << 20, 1000])("hands out the decompressed bytes in order, into buffers of %i bytes", (size) => {
    const file = path.join(dir, "a.gz");
    writeFileSync(file, gzipSync(TEXT));
    const source = new GunzipFileSource(file);
    try {
      expect(readAll(source, size).equals(TEXT)).toBe(true);
      expect(source.read(Buffer.alloc(10))).toBe(0);
    } finally {
      source.close();
    }
  });

  it("reads several gzip members one after the other, as gunzip does", () => {
    const file = path.join(dir, "two.gz");
    writeFileSync(file, Buffer.concat([gzipSync(TEXT.subarray(0, 1000)), gzipSync(TEXT.subarray(1000))]));
    const source = new GunzipFileSource(file);
    expect(readAll(source, 4096).equals(TEXT)).toBe(true);
    source.close();
  });

  it.each([
    ["truncated", (gz: Buffer) => gz.subarray(0, gz.length >> 1), /unexpected end of file/],
    ["not gzip after the magic bytes", () => Buffer.from([0x1f, 0x8b, 0, 0, 0, 0]), /./],
  ])("a %s file ends in a GzipInputError", (_name, damage, message) => {
    const file = path.join(dir, "bad.gz");
    writeFileSync(file, damage(gzipSync(TEXT)));
    const source = new GunzipFileSource(file);
    let caught: unknown;
    try {
      readAll(source, 1 << 16);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GzipInputError);
    expect((caught as Error).message).toMatch(message);
  });

  it("a missing file is a GzipInputError naming the problem", () => {
    const source = new GunzipFileSource(path.join(dir, "nope.gz"));
    expect(() => readAll(source, 1024)).toThrow(/ENOENT/);
  });

  it("can be closed before the end, and then reads nothing more", () => {
    const file = path.join(dir, "a.gz");
    writeFileSync(file, gzipSync(TEXT));
    const source = new GunzipFileSource(file);
    expect(source.read(Buffer.alloc(100))).toBe(100);
    source.close();
    expect(source.read(Buffer.alloc(100))).toBe(0);
  });
});
