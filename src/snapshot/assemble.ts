/**
 * The snapshot file is one gzip file with the header on line 1, but the header carries the digest and count,
 * known only at the end. So the header becomes a gzip member of its own, followed by the members the segment
 * writers left (a multi-member gzip stream, which every gunzip reads as one text). Members are copied as they
 * are, adjacent ones in one go; only a member holding a line that lost to a duplicate is decompressed, filtered
 * and compressed again. The file is written beside the target and renamed onto it, so a fetch that stops
 * half-way never leaves a partial snapshot.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { cell } from "./columns";
import type { BatchTable } from "./types";

const COPY_BYTES = 4 << 20;
const NEWLINE = 0x0a;

interface Piece {
  segment: string;
  offset: number;
  length: number;
  /** Line numbers inside the member to leave out. */
  drop?: Set<number>;
}

export function assembleSnapshot(outPath: string, tmpPath: string, headerLine: string, tables: readonly BatchTable[], dead: ReadonlyArray<Uint8Array | undefined>, level: number): void {
  const pieces = piecesOf(tables, dead);
  // Device inventory: readable by its owner only, and never written through an existing file or link.
  const out = openSync(tmpPath, "wx", 0o600);
  const inputs = new Map<string, number>();
  try {
    writeSync(out, gzipSync(headerLine + "\n", { level }));
    const buffer = Buffer.allocUnsafe(COPY_BYTES);
    for (let i = 0; i < pieces.length; ) {
      const piece = pieces[i] as Piece;
      let fd = inputs.get(piece.segment);
      if (fd === undefined) {
        fd = openSync(piece.segment, "r");
        inputs.set(piece.segment, fd);
      }
      if (piece.drop !== undefined) {
        const kept = keptLines(readRange(fd, piece.offset, piece.length), piece.drop);
        if (kept.length > 0) writeSync(out, gzipSync(kept, { level }));
        i++;
        continue;
      }
      // Adjacent clean members of the same segment are one copy.
      let end = piece.offset + piece.length;
      let j = i + 1;
      for (; j < pieces.length; j++) {
        const next = pieces[j] as Piece;
        if (next.segment !== piece.segment || next.offset !== end || next.drop !== undefined) break;
        end += next.length;
      }
      copyRange(fd, out, piece.offset, end, buffer);
      i = j;
    }
  } catch (error) {
    closeSync(out);
    rmSync(tmpPath, { force: true });
    throw error;
  } finally {
    for (const fd of inputs.values()) closeSync(fd);
  }
  closeSync(out);
  renameSync(tmpPath, outPath);
}

/** Every member of the tables, in file order, with the lines that lost to a duplicate. */
function piecesOf(tables: readonly BatchTable[], dead: ReadonlyArray<Uint8Array | undefined>): Piece[] {
  const pieces: Piece[] = [];
  tables.forEach((table, t) => {
    const own = table.members.map((m): Piece => {
      if (m.offset < 0) throw new Error("a snapshot member was never written");
      return { segment: table.segment, offset: m.offset, length: m.length };
    });
    const flags = dead[t];
    if (flags !== undefined) {
      for (let r = 0; r < table.rows; r++) {
        if (flags[r] !== 1) continue;
        const piece = own[cell(table.member, r)] as Piece;
        (piece.drop ??= new Set()).add(cell(table.line, r));
      }
    }
    pieces.push(...own);
  });
  return pieces.sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : a.offset - b.offset));
}

function keptLines(member: Buffer, drop: ReadonlySet<number>): Buffer {
  const text = gunzipSync(member);
  const parts: Buffer[] = [];
  let line = 0;
  for (let start = 0; start < text.length; line++) {
    let end = text.indexOf(NEWLINE, start);
    if (end === -1) end = text.length - 1;
    if (!drop.has(line)) parts.push(text.subarray(start, end + 1));
    start = end + 1;
  }
  return Buffer.concat(parts);
}

function readRange(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, offset + done);
    if (n === 0) throw new Error("a snapshot segment file is shorter than its members");
    done += n;
  }
  return bytes;
}

function copyRange(from: number, to: number, start: number, end: number, buffer: Buffer): void {
  for (let at = start; at < end; ) {
    const n = readSync(from, buffer, 0, Math.min(buffer.length, end - at), at);
    if (n === 0) throw new Error("a snapshot segment file is shorter than its members");
    writeSync(to, buffer, 0, n);
    at += n;
  }
}
