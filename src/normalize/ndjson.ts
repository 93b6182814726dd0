/**
 * NDJSON records of a text stream, in batches (one per chunk read): each non-blank line must be a JSON object;
 * anything else is the caller's error (`bad`), with the 1-based line number. Blank lines are skipped.
 */
import { readLineBatches } from "./lines";

export interface RecordBatch {
  records: unknown[];
  /** The line number of each record. */
  lines: number[];
}

export async function* ndjsonBatches(
  source: AsyncIterable<Buffer | string>,
  bad: (line: number, cause?: unknown) => Error,
): AsyncGenerator<RecordBatch> {
  let lineNo = 0;
  for await (const batch of readLineBatches(source, { tooLong: (line) => bad(line) })) {
    const out: RecordBatch = { records: [], lines: [] };
    for (const text of batch) {
      lineNo++;
      if (text === "" || isBlank(text)) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw bad(lineNo, cause);
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad(lineNo);
      out.records.push(value);
      out.lines.push(lineNo);
    }
    if (out.records.length > 0) yield out;
  }
}

function isBlank(text: string): boolean {
  return text.trim() === "";
}
