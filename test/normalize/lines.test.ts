import { readLineBatches } from "../../src/normalize";

async function collect(chunks: Array<Buffer | string>, maxLineChars?: number): Promise<string[]> {
  const out: string[] = [];
  async function* source(): AsyncGenerator<Buffer | string> {
    yield* chunks;
  }
  for await (const batch of readLineBatches(source(), { maxLineChars, tooLong: (line) => new Error(`too long at ${line}`) })) {
    out.push(...batch);
  }
  return out;
}

describe("readLineBatches", () => {
  it("splits across chunk boundaries, drops BOM and CR, keeps blank lines for numbering", async () => {
    expect(await collect(["\uFEFF{\"a\":1}\r\n\r\n{\"b\"", ":2}\n", "{\"c\":3}"])).toEqual(['{"a":1}', "", '{"b":2}', '{"c":3}']);
  });

  it("decodes a UTF-8 character split between two chunks", async () => {
    const bytes = Buffer.from("é-ü\n", "utf8");
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)])).toEqual(["é-ü"]);
  });

  it("drops a BOM given as bytes and yields nothing for an empty stream", async () => {
    expect(await collect([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("x\n")])).toEqual(["x"]);
    expect(await collect([])).toEqual([]);
  });

  it("refuses a line longer than the limit (in bytes) with its line number", async () => {
    await expect(collect(["ok\n", "a".repeat(30), "b".repeat(30)], 50)).rejects.toThrow("too long at 2");
  });
});
