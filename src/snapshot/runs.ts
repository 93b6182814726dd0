/**
 * Sorted runs of the external merge sort. A run is an array of entries sorted by (machineId,
 * dataRefreshTimestamp, order); full runs are spilled to a temp file as one line per entry
 * (`batch \t order \t profile \t timestamp \t deviceLine`) and read back as a cursor during the merge.
 */
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import { readLineBatches } from "../normalize/lines";

export interface RunEntry {
  id: string;
  /** dataRefreshTimestamp, "" when null (so that it sorts oldest). */
  ts: string;
  /** Arrival order; among equal ids and timestamps the later one wins. */
  order: number;
  batch: number;
  /** Summary profile index (see summary.ts). */
  profile: number;
  /** The serialized device line. */
  line: string;
}

export function compareEntries(a: RunEntry, b: RunEntry): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  return a.order - b.order;
}

const FLUSH_CHARS = 1 << 20;

/** Writes sorted entries to `path`, in chunks so that the run is never copied into one large string. */
export function spillRun(entries: readonly RunEntry[], path: string): void {
  const fd = openSync(path, "w");
  try {
    let chunk = "";
    for (const e of entries) {
      chunk += `${e.batch}\t${e.order}\t${e.profile}\t${e.ts}\t${e.line}\n`;
      if (chunk.length >= FLUSH_CHARS) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    if (chunk.length > 0) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

const ID_END = ',"computerDnsName":';
const ID_START = '{"machineId":'.length;

/** The machineId of a serialized device line, read from its fixed prefix instead of parsing the line. */
export function idOfLine(line: string): string {
  // Inside a JSON string every quote is escaped, so the first `,"computerDnsName":` ends the machineId token.
  const token = line.slice(ID_START, line.indexOf(ID_END));
  return token.includes("\\") ? (JSON.parse(token) as string) : token.slice(1, -1);
}

function parseSpilled(text: string): RunEntry {
  const t1 = text.indexOf("\t");
  const t2 = text.indexOf("\t", t1 + 1);
  const t3 = text.indexOf("\t", t2 + 1);
  const t4 = text.indexOf("\t", t3 + 1);
  const line = text.slice(t4 + 1);
  return {
    batch: Number(text.slice(0, t1)),
    order: Number(text.slice(t1 + 1, t2)),
    profile: Number(text.slice(t2 + 1, t3)),
    ts: text.slice(t3 + 1, t4),
    id: idOfLine(line),
    line,
  };
}

/** A position in a sorted run. `advance()` returns a promise only when it had to read more from disk. */
export interface RunCursor {
  readonly current: RunEntry | undefined;
  advance(): Promise<void> | undefined;
}

export class ArrayCursor implements RunCursor {
  private i = 0;
  constructor(private readonly entries: readonly RunEntry[]) {}
  get current(): RunEntry | undefined {
    return this.entries[this.i];
  }
  advance(): undefined {
    this.i++;
    return undefined;
  }
}

export class FileCursor implements RunCursor {
  private batch: RunEntry[] = [];
  private i = 0;
  private readonly lines: AsyncGenerator<string[]>;

  private constructor(path: string) {
    this.lines = readLineBatches(createReadStream(path, { highWaterMark: 1 << 20 }));
  }

  static async open(path: string): Promise<FileCursor> {
    const cursor = new FileCursor(path);
    await cursor.fill();
    return cursor;
  }

  get current(): RunEntry | undefined {
    return this.batch[this.i];
  }

  advance(): Promise<void> | undefined {
    this.i++;
    return this.i < this.batch.length ? undefined : this.fill();
  }

  private async fill(): Promise<void> {
    this.batch = [];
    this.i = 0;
    while (this.batch.length === 0) {
      const next = await this.lines.next();
      if (next.done) return;
      for (const text of next.value) if (text !== "") this.batch.push(parseSpilled(text));
    }
  }
}
