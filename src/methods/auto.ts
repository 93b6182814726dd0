/**
 * method "auto" (the default). The rule, with N the fleet size and T the threshold (100,000 by default,
 * Microsoft's guidance for the JSON method):
 * 1. a $filter was given → JSON (the export cannot be filtered);
 * 2. read the first /api/deviceavinfo page ($top=10000); if the paging ends there, that page is the fleet → JSON;
 * 3. if that page alone has more than T devices, N > T. Otherwise one more call answers whether N > T without
 *    reading the pages in between: `$top=1&$skip=T` returns a device exactly when there are more than T;
 * 4. N ≤ T → JSON, continuing from the first page (one JSON call more than method json, none to the export);
 * 5. N > T → request the export → files; the first page is discarded. A large fleet so costs at most two JSON
 *    calls before the export, instead of reading T devices page by page;
 * 6. the export answers 403 (the app lacks Vulnerability.Read.All) or 404 → JSON, continuing from the first
 *    page, so the JSON call count is at most that of method json plus one.
 * The method and the reason go into the snapshot header (source.methodReason).
 */
import { isAvHealthError } from "../errors";
import type { ApiClient } from "../http/types";
import { requestExport } from "./export";
import { fetchViaFiles, type FilesOptions, type FilesResult } from "./files";
import { hasDeviceBeyond, PageCursor, type JsonPage } from "./json";
import { addPage, fetchViaJson } from "./run-json";
import type { RecordSink } from "./types";

export const DEFAULT_AUTO_THRESHOLD = 100_000;

export interface AutoOptions extends FilesOptions {
  threshold?: number;
  filter?: string;
  onPage?: (page: JsonPage) => void;
  onMethod?: (method: "json" | "files", reason: string) => void;
}

export type AutoOutcome = { method: "json"; reason: string } | { method: "files"; reason: string; files: FilesResult };

export async function fetchAuto(client: ApiClient, sink: RecordSink, options: AutoOptions = {}): Promise<AutoOutcome> {
  const threshold = options.threshold ?? DEFAULT_AUTO_THRESHOLD;
  const chosen = (outcome: AutoOutcome): AutoOutcome => {
    options.onMethod?.(outcome.method, outcome.reason);
    return outcome;
  };
  if (options.filter !== undefined) {
    await fetchViaJson(client, sink, { filter: options.filter, onPage: options.onPage });
    return chosen({ method: "json", reason: "auto: a $filter was given, and only the JSON method can filter" });
  }
  const probe = sink.newBatch();
  const cursor = new PageCursor(client);
  addPage(sink, await cursor.fetchNext(), probe, options.onPage);
  const fleet = (): string => `the fleet has ${cursor.records} devices (threshold ${threshold}), read in ${cursor.pages} JSON pages`;
  if (cursor.done) return chosen({ method: "json", reason: `auto: ${fleet()}` });
  const seen =
    cursor.records > threshold
      ? `more than ${threshold} devices (${cursor.records} seen in ${cursor.pages} JSON pages)`
      : (await hasDeviceBeyond(client, threshold))
        ? `more than ${threshold} devices (the API has a device past the first ${threshold})`
        : undefined;
  if (seen === undefined) {
    await fetchViaJson(client, sink, { cursor, batch: probe, onPage: options.onPage });
    return chosen({ method: "json", reason: `auto: ${fleet()}` });
  }
  let listing;
  try {
    listing = await requestExport(client, options.sasValidHours);
  } catch (error) {
    const status = isAvHealthError(error) ? error.details.status : undefined;
    if (status !== 403 && status !== 404) throw error;
    const why = status === 403 ? "403 (the app lacks Vulnerability.Read.All)" : "404 (no export on this API host)";
    options.onMethod?.("json", `auto: ${seen}, but the export answered ${why}; continuing with json`);
    await fetchViaJson(client, sink, { cursor, batch: probe, onPage: options.onPage });
    return { method: "json", reason: `auto: ${seen}, but the export answered ${why}; fell back to json` };
  }
  // One page at most, so no forced garbage collection is needed before the part workers start (it was for 11).
  sink.discardBatch(probe);
  const reason = `auto: ${seen}, above the threshold: files`;
  options.onMethod?.("files", reason);
  const files = await fetchViaFiles(client, sink, { ...options, listing });
  return { method: "files", reason, files };
}
