/**
 * method "auto" (the default). The rule, with N the fleet size and T the threshold (100,000 by default,
 * Microsoft's guidance for the JSON method):
 * 1. a $filter was given → JSON (the export cannot be filtered);
 * 2. read /api/deviceavinfo pages ($top=10000) while at most T devices have been seen; if the paging ends there,
 *    those pages are the whole fleet → JSON (N ≤ T, or N fits in the pages read before passing T);
 * 3. more than T devices seen and more remain → request the export → files; the probe pages are discarded.
 *    The probe costs at most floor(T/10000)+1 calls, fewer than ceil(N/10000) since N > T;
 * 4. the export answers 403 (the app lacks Vulnerability.Read.All) or 404 → JSON, continuing from the probe
 *    pages, so the JSON call count is the same as method json: at most ceil(N/10000)+1.
 * The method and the reason go into the snapshot header (source.methodReason).
 */
import { isAvHealthError } from "../errors";
import { collectGarbage } from "../util/collect-garbage";
import type { ApiClient } from "../http/types";
import { requestExport } from "./export";
import { fetchViaFiles, type FilesOptions, type FilesResult } from "./files";
import { PageCursor, type JsonPage } from "./json";
import { addPage, fetchViaJson, readPages } from "./run-json";
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
  await readPages(cursor, () => cursor.records <= threshold, (page) => addPage(sink, page, probe, options.onPage));
  if (cursor.done) {
    return chosen({ method: "json", reason: `auto: the fleet has ${cursor.records} devices (threshold ${threshold}), read in ${cursor.pages} JSON pages` });
  }
  const seen = `more than ${threshold} devices (${cursor.records} seen in ${cursor.pages} JSON pages)`;
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
  sink.discardBatch(probe);
  // The probe's parsed pages are garbage now; collected before the part workers start, they do not add to them.
  collectGarbage();
  const reason = `auto: ${seen}, above the threshold: files`;
  options.onMethod?.("files", reason);
  const files = await fetchViaFiles(client, sink, { ...options, listing });
  return { method: "files", reason, files };
}
