/**
 * A pull reader of JSON over a file read in chunks: values that a caller asks for are built, all others are
 * checked for syntax and skipped without building anything. A baseline report of a million devices is ~160 MB
 * of JSON of which a comparison needs the machine ids and names; JSON.parse of the whole text would hold the
 * text and every object at once (over 1 GB at peak) and spend its time on reasons nobody reads.
 */
import * as fs from "node:fs";
import type { ChunkSource } from "./gunzip-source";

const CHUNK = 1 << 20;
/** Deeper nesting than any report has; bounds the recursion of skipValue on hostile input. */
const MAX_DEPTH = 64;

export class JsonSyntaxError extends Error {}

/**
 * Where the bytes come from: a file descriptor read in chunks, a source that hands out chunks (a gzip file's
 * decompressed bytes), or one buffer (tests, small inputs).
 */
export type ByteSource = { fd: number } | { chunks: ChunkSource } | { buffer: Buffer };

export class JsonReader {
  private buf: Buffer;
  private pos = 0;
  private end: number;
  private consumed = 0;
  private readonly fd: number | null;
  private readonly chunks: ChunkSource | null;
  /** Reused to collect a string's bytes when it crosses a chunk boundary. */
  private scratch = Buffer.allocUnsafe(1024);

  /** chunkBytes: the read size for a file (tests use tiny chunks to cross every boundary). */
  constructor(source: ByteSource, chunkBytes = CHUNK) {
    this.chunks = "chunks" in source ? source.chunks : null;
    if ("buffer" in source) {
      this.fd = null;
      this.buf = source.buffer;
      this.end = source.buffer.length;
    } else {
      this.fd = "fd" in source ? source.fd : null;
      this.buf = Buffer.allocUnsafe(chunkBytes);
      this.end = 0;
    }
  }

  /** The next byte without consuming it, after whitespace; -1 at the end. */
  peek(): number {
    for (;;) {
      if (this.pos >= this.end && !this.refill()) return -1;
      const b = this.buf[this.pos] as number;
      if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) this.pos++;
      else return b;
    }
  }

  expect(byte: number): void {
    if (this.peek() !== byte) this.fail(`expected '${String.fromCharCode(byte)}'`);
    this.pos++;
  }

  /** Consumes `byte` when it is next (after whitespace). */
  accept(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.pos++;
    return true;
  }

  /** Iterates an object's keys: call after '{'; returns null at '}'. */
  nextKey(first: boolean): string | null {
    if (this.accept(0x7d)) return null;
    if (!first) {
      this.expect(0x2c);
    }
    const key = this.readString();
    this.expect(0x3a);
    return key;
  }

  /** Iterates an array: call after '['; true while there is another element. */
  nextElement(first: boolean): boolean {
    if (this.accept(0x5d)) return false;
    if (!first) this.expect(0x2c);
    return true;
  }

  /** The end of the document: only whitespace may follow. */
  finish(): void {
    if (this.peek() !== -1) this.fail("unexpected text after the document");
  }

  /** Builds any value (for the small parts of a document). */
  readValue(depth = 0): unknown {
    if (depth > MAX_DEPTH) this.fail("nested too deeply");
    const b = this.peek();
    if (b === 0x22) return this.readString();
    if (b === 0x7b) {
      this.pos++;
      const out: Record<string, unknown> = {};
      for (let key = this.nextKey(true); key !== null; key = this.nextKey(false)) out[key] = this.readValue(depth + 1);
      return out;
    }
    if (b === 0x5b) {
      this.pos++;
      const out: unknown[] = [];
      for (let first = true; this.nextElement(first); first = false) out.push(this.readValue(depth + 1));
      return out;
    }
    return this.readScalar();
  }

  /** Checks and skips any value, building nothing. */
  skipValue(depth = 0): void {
    if (depth > MAX_DEPTH) this.fail("nested too deeply");
    const b = this.peek();
    if (b === 0x22) return this.skipString();
    if (b === 0x7b) {
      this.pos++;
      for (let first = true; ; first = false) {
        if (this.accept(0x7d)) return;
        if (!first) this.expect(0x2c);
        this.skipString();
        this.expect(0x3a);
        this.skipValue(depth + 1);
      }
    }
    if (b === 0x5b) {
      this.pos++;
      for (let first = true; this.nextElement(first); first = false) this.skipValue(depth + 1);
      return;
    }
    this.readScalar();
  }

  readString(): string {
    this.expect(0x22);
    const start = this.pos;
    // Fast path: the whole string in this chunk and no escape, the common case for ids and names.
    for (let i = start; i < this.end; i++) {
      const b = this.buf[i] as number;
      if (b === 0x22) {
        this.pos = i + 1;
        return this.buf.toString("utf8", start, i);
      }
      if (b === 0x5c || b < 0x20) break;
    }
    return this.readStringSlow();
  }

  private readStringSlow(): string {
    let length = 0;
    let escaped = false;
    for (;;) {
      if (this.pos >= this.end && !this.refill()) this.fail("unterminated string");
      const b = this.buf[this.pos++] as number;
      if (b < 0x20) this.fail("control character in a string");
      if (b === 0x22 && !escaped) break;
      escaped = b === 0x5c && !escaped;
      if (length === this.scratch.length) {
        const bigger = Buffer.allocUnsafe(this.scratch.length * 2);
        this.scratch.copy(bigger);
        this.scratch = bigger;
      }
      this.scratch[length++] = b;
    }
    const raw = this.scratch.toString("utf8", 0, length);
    if (!raw.includes("\\")) return raw;
    try {
      // The escapes (\n, \uXXXX, surrogate pairs) exactly as JSON defines them.
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return this.fail("bad escape in a string");
    }
  }

  private skipString(): void {
    this.expect(0x22);
    for (;;) {
      if (this.pos >= this.end && !this.refill()) this.fail("unterminated string");
      const b = this.buf[this.pos++] as number;
      if (b === 0x22) return;
      if (b < 0x20) this.fail("control character in a string");
      if (b === 0x5c) {
        if (this.pos >= this.end && !this.refill()) this.fail("unterminated string");
        const e = this.buf[this.pos++] as number;
        // "/\bfnrtu: \u's four hex digits are ordinary characters to a skipper, checked only for being plain.
        if (!(e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74 || e === 0x75)) {
          this.fail("bad escape in a string");
        }
      }
    }
  }

  private readScalar(): number | boolean | null {
    let text = "";
    for (;;) {
      if (this.pos >= this.end && !this.refill()) break;
      const b = this.buf[this.pos] as number;
      // Letters and number characters; anything else ends the token.
      if ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x45) {
        text += String.fromCharCode(b);
        this.pos++;
        if (text.length > 64) break;
      } else break;
    }
    if (text === "true") return true;
    if (text === "false") return false;
    if (text === "null") return null;
    if (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(text)) return Number(text);
    return this.fail(text === "" ? "unexpected character" : `unexpected token "${text.slice(0, 20)}"`);
  }

  private refill(): boolean {
    if (this.fd === null && this.chunks === null) return false;
    this.consumed += this.end;
    this.end = this.chunks !== null ? this.chunks.read(this.buf) : fs.readSync(this.fd as number, this.buf, 0, this.buf.length, null);
    this.pos = 0;
    return this.end > 0;
  }

  fail(problem: string): never {
    throw new JsonSyntaxError(`${problem} at byte ${this.consumed + this.pos}`);
  }
}
