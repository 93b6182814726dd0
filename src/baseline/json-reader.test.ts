import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { JsonReader, JsonSyntaxError } from "./json-reader";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-json-reader-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Reads text through a file in chunks of `chunk` bytes, so values cross chunk boundaries everywhere. */
function readFileValue(text: string, chunk: number): unknown {
  const file = path.join(dir, `doc-${chunk}-${text.length}.json`);
  fs.writeFileSync(file, text);
  const fd = fs.openSync(file, "r");
  try {
    const reader = new JsonReader({ fd }, chunk);
    const value = reader.readValue();
    reader.finish();
    return value;
  } finally {
    fs.closeSync(fd);
  }
}

const DOC = {
  a: "plain",
  b: "esc \" \\ / \b \f \n \r \t \u0001 é 😀 サーバー",
  c: [1, -2.5, 3e2, 0, true, false, null, {}, []],
  d: { nested: { deeper: ["x", { y: "z" }] } },
};

describe("JsonReader", () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])("reads every value as JSON.parse does, in chunks of %i bytes", (chunk) => {
    const text = JSON.stringify(DOC, null, 2);
    expect(readFileValue(text, chunk)).toEqual(JSON.parse(text));
  });

  it("skips values without building them and still checks their syntax", () => {
    const reader = new JsonReader({ buffer: Buffer.from('[{"a": ["x\\"y", 1, {"b": null}]}, 2]') });
    reader.expect(0x5b);
    expect(reader.nextElement(true)).toBe(true);
    reader.skipValue();
    expect(reader.nextElement(false)).toBe(true);
    expect(reader.readValue()).toBe(2);
    expect(reader.nextElement(false)).toBe(false);
    reader.finish();
  });

  it.each([
    ["{", "expected"],
    ['{"a" 1}', "expected ':'"],
    ['{"a": tru}', 'unexpected token "tru"'],
    ['{"a": 01}', 'unexpected token "01"'],
    ['"unterminated', "unterminated string"],
    ['"bad \\x escape"', "bad escape"],
    ['"raw\ncontrol"', "control character"],
    ["[1] 2", "unexpected text after the document"],
    [`${"[".repeat(100)}${"]".repeat(100)}`, "nested too deeply"],
  ])("rejects %j", (text, message) => {
    const read = () => {
      const reader = new JsonReader({ buffer: Buffer.from(text) });
      reader.skipValue();
      reader.finish();
    };
    expect(read).toThrow(JsonSyntaxError);
    expect(read).toThrow(message);
  });
});
