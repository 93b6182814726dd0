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
  while (!cursor.done) addPage(sink, await cursor.fetchNext(), options.batch ?? 0, options.onPage);
  return cursor;
}

export function addPage(sink: RecordSink, page: JsonPage, batch: number, onPage?: (page: JsonPage) => void): void {
  const source = `page ${page.index}`;
  const first = page.recordsSoFar - page.records.length;
  page.records.forEach((raw, i) => sink.add(raw, "json", { source, line: i + 1, unit: "record" }, { batch, order: first + i }));
  onPage?.(page);
}
