/**
 * Reads one device line back from the segment files, by table row: de-duplication keeps a 64-bit fingerprint of
 * each machineId instead of its bytes and confirms that two rows with the same fingerprint really share an id
 * by reading the id from their lines. That happens for true duplicates (few) and for fingerprint collisions
 * (rarer still), so a member is decompressed only then; the last few decompressed members are kept.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { cell } from "./columns";
import type { BatchTable } from "./types";

/** Decompressed members kept: duplicates tend to sit in the same few members (a part read twice, a page overlap). */
const KEPT = 4;
const NEWLINE = 0x0a;

export class MemberLines {
  private readonly files = new Map<string, number>();
  private readonly kept = new Map<string, Buffer>();

  /** The machineId of a row, from its line. */
  machineId(table: BatchTable, row: number): string {
    const parsed = JSON.parse(this.line(table, row)) as { machineId?: unknown };
    if (typeof parsed.machineId !== "string") throw new Error("a snapshot device line has no machineId");
    return parsed.machineId;
  }

  /** The text of a row's line, without its newline. */
  line(table: BatchTable, row: number): string {
    const text = this.member(table, cell(table.member, row));
    const wanted = cell(table.line, row);
    let start = 0;
    for (let n = 0; n < wanted; n++) {
      start = text.indexOf(NEWLINE, start) + 1;
      if (start === 0) throw new Error("a snapshot member has fewer lines than its table says");
    }
    const end = text.indexOf(NEWLINE, start);
    return text.toString("utf8", start, end === -1 ? text.length : end);
  }

  close(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
    this.kept.clear();
  }

  private member(table: BatchTable, index: number): Buffer {
    const ref = table.members[index];
    if (ref === undefined || ref.offset < 0) throw new Error("a snapshot member was never written");
    const key = `${table.segment}\n${ref.offset}`;
    let text = this.kept.get(key);
    if (text !== undefined) return text;
    let fd = this.files.get(table.segment);
    if (fd === undefined) {
      fd = openSync(table.segment, "r");
      this.files.set(table.segment, fd);
    }
    const bytes = Buffer.allocUnsafe(ref.length);
    for (let done = 0; done < ref.length; ) {
      const n = readSync(fd, bytes, done, ref.length - done, ref.offset + done);
      if (n === 0) throw new Error("a snapshot segment file is shorter than its members");
      done += n;
    }
    text = gunzipSync(bytes);
    if (this.kept.size >= KEPT) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(key, text);
    return text;
  }
}
