/**
 * Writes text given as many small chunks (a report streamed entry by entry) to a file, plain or gzip-compressed.
 * The chunks are encoded straight into 1 MB buffers: concatenating them into a large string first (as the
 * writer once did) kept every chunk alive until the flush, long enough for the garbage collector to move them
 * to the old generation, which grew the peak of a million-device report by hundreds of megabytes.
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip } from "node:zlib";

export type TextCompression = "none" | "gzip";

const BLOCK_BYTES = 1 << 20;
/**
 * gzip level 6 (zlib's default): a million-device JSON report of 441 MB compresses to 55–59 MB (7.5–8x), against
 * 66 MB at level 1, for 1.6x level 1's compression time (4.6 s against 2.8 s of CPU). The bytes are deterministic
 * for a given zlib (no name, no mtime in the header).
 */
export const GZIP_LEVEL = constants.Z_DEFAULT_COMPRESSION;

/** The chunks as UTF-8 blocks of about BLOCK_BYTES; every block is a fresh buffer, so a consumer may keep it. */
export function* utf8Blocks(chunks: Iterable<string>, blockBytes = BLOCK_BYTES): Generator<Buffer> {
  let block = Buffer.allocUnsafe(blockBytes);
  let used = 0;
  for (const chunk of chunks) {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes, so this bound never splits a chunk.
    if (chunk.length * 3 > blockBytes - used) {
      if (used > 0) {
        yield block.subarray(0, used);
        block = Buffer.allocUnsafe(blockBytes);
        used = 0;
      }
      if (chunk.length * 3 > blockBytes) {
        yield Buffer.from(chunk, "utf8");
        continue;
      }
    }
    used += block.write(chunk, used, "utf8");
  }
  if (used > 0) yield block.subarray(0, used);
}

export async function writeTextFile(file: string, chunks: Iterable<string>, compression: TextCompression = "none"): Promise<void> {
  const source = Readable.from(utf8Blocks(chunks), { objectMode: true, highWaterMark: 2 });
  // Reports list devices: owner-only, and always a new file (never written through a planted file or link).
  const sink = createWriteStream(file, { flags: "wx", mode: 0o600 });
  if (compression === "gzip") await pipeline(source, createGzip({ level: GZIP_LEVEL }), sink);
  else await pipeline(source, sink);
}
