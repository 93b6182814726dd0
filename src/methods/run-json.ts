/** Feeds JSON pages into a sink, one batch for the whole paging (a JSON page that fails ends the fetch). */
import type { ApiClient } from "../http/types";
import { PageCursor, type JsonPage } from "./json";
import type { RecordSink } from "./types";

export interface JsonRunOptions {
  filter?: string;
  /** Continue a paging already started (auto's probe) instead of starting from the first page. */
  cursor?: PageCursor;
  batch?: number;
  onPage?: (page: JsonPage) => void;
}

export async function fetchViaJson(client: ApiClient, sink: RecordSink, options: JsonRunOptions = {}): Promise<PageCursor> {
  const cursor = options.cursor ?? new PageCursor(client, options.filter);
  await readPages(cursor, () => true, (page) => addPage(sink, page, options.batch ?? 0, options.onPage));
  return cursor;
}

/**
 * Reads pages while `more()` holds after the last one, asking for each next page before handing the current
 * one to `each`: the API prepares page N+1 while page N is normalized. No page is requested that the loop would
 * not have requested anyway, so the call count is the same as reading one page at a time, except when `each`
 * throws: the request already sent for the next page is then abandoned (its answer ignored).
 */
export async function readPages(cursor: PageCursor, more: () => boolean, each: (page: JsonPage) => void): Promise<void> {
  let next = cursor.done || !more() ? undefined : cursor.fetchNext();
  while (next !== undefined) {
    const page = await next;
    next = cursor.done || !more() ? undefined : cursor.fetchNext();
    // If `each` throws, the request in flight is abandoned; its failure must not surface as unhandled.
    next?.catch(() => undefined);
    // Let the request go out (token from the cache, socket write) before `each` holds the thread.
    if (next !== undefined) await new Promise<void>((resolve) => setImmediate(resolve));
    each(page);
  }
}

export function addPage(sink: RecordSink, page: JsonPage, batch: number, onPage?: (page: JsonPage) => void): void {
  const source = `page ${page.index}`;
  const first = page.recordsSoFar - page.records.length;
  page.records.forEach((raw, i) => sink.add(raw, "json", { source, line: i + 1, unit: "record" }, { batch, order: first + i }));
  onPage?.(page);
}
