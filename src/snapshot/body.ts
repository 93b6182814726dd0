/**
 * The snapshot file is one gzip file with the header on line 1, but the header carries the digest and count,
 * known only after the merge. So the device lines are hashed and gzipped to a body file during the merge, the
 * header becomes a gzip member of its own, and the file is assembled as header member + body members (a
 * multi-member gzip stream, which every gunzip reads as one text). Only the compressed body is copied.
 *
 * Compression is the slowest step of the merge, so the body is cut into chunks that are compressed as separate
 * gzip members on the libuv thread pool, several at once, and written in order.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, openSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { gzip, gzipSync, type ZlibOptions } from "node:zlib";

const gzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gzip);
const CHUNK = 4 << 20;
const IN_FLIGHT = 4;
/** Output buffer of each compression: one or two callbacks per 4 MB chunk instead of one per 16 KB. */
const GZIP_OUT = 1 << 20;
const NEWLINE = 0x0a;

export class BodyWriter {
  private readonly hash: Hash = createHash("sha256");
  private readonly fd: number;
  private readonly pending: Array<Promise<Buffer>> = [];
  private out = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private closed = false;
  count = 0;

  constructor(readonly path: string, private readonly level: number) {
    this.fd = openSync(path, "w");
  }

  /** Appends the line source[start, end) and a newline; returns a promise only when compression is behind. */
  write(source: Buffer, start: number, end: number): Promise<void> | undefined {
    this.count++;
    const length = end - start + 1;
    let wait: Promise<void> | undefined;
    if (this.used + length > this.out.length) {
      wait = this.flush();
      if (length > this.out.length) this.out = Buffer.allocUnsafe(length);
    }
    this.used += source.copy(this.out, this.used, start, end);
    this.out[this.used++] = NEWLINE;
    return wait;
  }

  private flush(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const bytes = this.out.subarray(0, this.used);
    // A fresh buffer: the thread pool is still reading this one.
    this.out = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    this.hash.update(bytes);
    const compressed = gzipAsync(bytes, { level: this.level, chunkSize: GZIP_OUT });
    compressed.catch(() => undefined);
    this.pending.push(compressed);
    return this.pending.length >= IN_FLIGHT ? this.writeOldest() : undefined;
  }

  private async writeOldest(): Promise<void> {
    const member = await (this.pending.shift() as Promise<Buffer>);
    writeSync(this.fd, member);
  }

  abandon(): void {
    this.pending.length = 0;
    this.close();
  }

  private close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }

  /** Ends the body; returns the "sha256:<hex>" digest of the lines written. */
  async end(): Promise<string> {
    await this.flush();
    while (this.pending.length > 0) await this.writeOldest();
    this.close();
    return `sha256:${this.hash.digest("hex")}`;
  }
}

/** Writes `headerLine` as the first gzip member, then the body's members, to a temp file renamed onto outPath. */
export async function assembleSnapshot(outPath: string, tmpPath: string, headerLine: string, bodyPath: string, level: number): Promise<void> {
  writeFileSync(tmpPath, gzipSync(headerLine + "\n", { level }));
  await pipeline(createReadStream(bodyPath, { highWaterMark: 1 << 20 }), createWriteStream(tmpPath, { flags: "a" }));
  renameSync(tmpPath, outPath);
}
