/**
 * NDJSON line splitting for streams: yields the lines of each chunk as one batch (one await per chunk, not per
 * line), decodes UTF-8 across chunk boundaries, drops a leading BOM and the "\r" of CRLF. Blank lines are
 * yielded as "" so that callers can count line numbers; they skip them. A line longer than maxLineChars is an
 * error (a part without newlines must not be buffered whole).
 */
import { StringDecoder } from "node:string_decoder";

export interface LineOptions {
  maxLineChars?: number;
  /** Builds the error thrown for an over-long line (1-based line number). */
  tooLong?: (line: number) => Error;
}

const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

export async function* readLineBatches(
  source: AsyncIterable<Buffer | string>,
  options: LineOptions = {},
): AsyncGenerator<string[]> {
  const max = options.maxLineChars ?? DEFAULT_MAX_LINE;
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let first = true;
  let lineNo = 0;
  for await (const chunk of source) {
    // `pending` holds no newline, so the search for one starts after it.
    const scanFrom = pending.length;
    let text = pending + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    const sawFirst = first;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const batch: string[] = [];
    let start = 0;
    let end = text.indexOf("\n", sawFirst ? 0 : scanFrom);
    while (end !== -1) {
      batch.push(text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end));
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    pending = start === 0 ? text : text.slice(start);
    lineNo += batch.length;
    if (pending.length > max) throw tooLong(options, lineNo + 1);
    if (batch.length > 0) yield batch;
  }
  pending += decoder.end();
  if (first && pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
  if (pending.endsWith("\r")) pending = pending.slice(0, -1);
  if (pending.length > max) throw tooLong(options, lineNo + 1);
  if (pending.length > 0) yield [pending];
}

function tooLong(options: LineOptions, line: number): Error {
  return options.tooLong ? options.tooLong(line) : new Error(`line ${line} is longer than the allowed maximum`);
}
