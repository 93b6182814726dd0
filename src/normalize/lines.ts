/**
 * NDJSON line splitting for streams, on bytes: newlines are found in the raw UTF-8 (a 0x0A byte is never part
 * of a multi-byte character) and each line is decoded on its own. Decoding whole chunks instead would turn
 * every line of a chunk into a two-byte string as soon as one device name in it is not ASCII, which doubles
 * the work of JSON.parse on it. Yields the lines of each chunk as one batch (one await per chunk, not per
 * line), drops a leading BOM and the "\r" of CRLF. Blank lines are yielded as "" so that callers can count
 * line numbers; they skip them. A line longer than maxLineChars bytes is an error (a part without newlines
 * must not be buffered whole).
 */
export interface LineOptions {
  maxLineChars?: number;
  /** Builds the error thrown for an over-long line (1-based line number). */
  tooLong?: (line: number) => Error;
}

const DEFAULT_MAX_LINE = 16 * 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;

export async function* readLineBatches(
  source: AsyncIterable<Buffer | string>,
  options: LineOptions = {},
): AsyncGenerator<string[]> {
  const max = options.maxLineChars ?? DEFAULT_MAX_LINE;
  let carry: Buffer | null = null;
  let lineNo = 0;
  const decode = (buf: Buffer, start: number, end: number): string => {
    const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
    const text = buf.toString("utf8", start, stop);
    return lineNo === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  for await (const raw of source) {
    const chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    const batch: string[] = [];
    let start = 0;
    let nl = chunk.indexOf(LF);
    if (carry !== null) {
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        if (carry.length > max) throw tooLong(options, lineNo + 1);
        continue;
      }
      // Only the line that straddles two chunks is copied.
      const joined: Buffer = Buffer.concat([carry, chunk.subarray(0, nl)]);
      batch.push(decode(joined, 0, joined.length));
      lineNo++;
      carry = null;
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    while (nl !== -1) {
      batch.push(decode(chunk, start, nl));
      lineNo++;
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      carry = chunk.subarray(start);
      if (carry.length > max) throw tooLong(options, lineNo + 1);
    }
    if (batch.length > 0) yield batch;
  }
  if (carry !== null && carry.length > 0) {
    const last = decode(carry, 0, carry.length);
    if (last.length > 0) yield [last];
  }
}

function tooLong(options: LineOptions, line: number): Error {
  return options.tooLong ? options.tooLong(line) : new Error(`line ${line} is longer than the allowed maximum`);
}
