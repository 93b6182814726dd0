/**
 * The snapshot file is one gzip file with the header on line 1, but the header carries the digest and count,
 * known only after the merge. So the device lines are gzipped to a body file while they are hashed, the header
 * becomes a gzip member of its own, and the file is assembled as header member + body members (a multi-member
 * gzip stream, which every gunzip reads as one text). Only the compressed body is copied, never re-compressed.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, renameSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { constants, createGzip, gzipSync, type Gzip } from "node:zlib";

const CHUNK_CHARS = 256 * 1024;

export class BodyWriter {
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;
  private readonly hash: Hash = createHash("sha256");
  private chunk = "";
  private failure: unknown;
  count = 0;

  constructor(readonly path: string, level: number) {
    this.gzip = createGzip({ level, strategy: constants.Z_DEFAULT_STRATEGY });
    this.done = pipeline(this.gzip, createWriteStream(path));
    this.done.catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Appends one device line; returns a promise only when the gzip stream asks to wait. */
  write(line: string): Promise<void> | undefined {
    this.chunk += line + "\n";
    this.count++;
    return this.chunk.length >= CHUNK_CHARS ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const text = this.chunk;
    this.chunk = "";
    this.hash.update(text);
    if (!this.gzip.write(text)) await once(this.gzip, "drain");
  }

  abandon(): void {
    this.gzip.destroy();
  }

  /** Ends the body; returns the "sha256:<hex>" digest of the lines written. */
  async end(): Promise<string> {
    if (this.chunk.length > 0) await this.flush();
    this.gzip.end();
    await this.done;
    return `sha256:${this.hash.digest("hex")}`;
  }
}

/** Writes `headerLine` as the first gzip member, then the body's members, to a temp file renamed onto outPath. */
export async function assembleSnapshot(outPath: string, tmpPath: string, headerLine: string, bodyPath: string, level: number): Promise<void> {
  writeFileSync(tmpPath, gzipSync(headerLine + "\n", { level }));
  await pipeline(createReadStream(bodyPath, { highWaterMark: 1 << 20 }), createWriteStream(tmpPath, { flags: "a" }));
  renameSync(tmpPath, outPath);
}
