/**
 * The files method: request the export, then download its parts concurrently (bounded), each streamed into the
 * sink under its own batch. Recovery, in order of preference:
 * - an expired SAS URL: the export is requested once more and the download continues with the fresh URLs (if
 *   the fresh export is a different one, every part is downloaded again from it);
 * - a broken part (reset, truncated gzip, bad status, malformed line): its partial records are discarded and
 *   it is downloaded again from the start, up to maxPartRetries times;
 * - a part that downloads slower than its pace allows (PartPace: a minimum throughput and a deadline) is a
 *   broken part like the others;
 * - an empty part is downloaded once more, since a blob that answered 200 with nothing can be a hiccup.
 * A part that still fails is reported as a reason for incompleteness, never skipped silently.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAvHealthError } from "../errors";
import type { ApiClient } from "../http/types";
import { redact, safeUrl } from "../util/redact";
import { requestExport } from "./export";
import { DEFAULT_PART_PACE, type PartPace } from "./pace";
import { inlineParser, isRetryablePartError, partName, readPart, type PartParser } from "./part";
import type { ExportListing, RecordSink } from "./types";

export interface FilesOptions {
  /** Parts downloaded at once (default 4). */
  concurrency?: number;
  /** Downloads of a broken part after the first (default 3). */
  maxPartRetries?: number;
  sasValidHours?: number;
  /** Wait before retry `attempt` (1-based) of a part. */
  retryDelayMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where downloaded parts wait to be parsed (default: the OS temp directory); at most `concurrency` at a time. */
  spoolDir?: string;
  /** An export already requested (auto's choice); otherwise it is requested here. */
  listing?: ExportListing;
  onExportRequested?: (listing: ExportListing) => void;
  onPartDone?: (partsDone: number, partsTotal: number) => void;
  /** What reads a downloaded part into records (default: this thread, into the sink). */
  parser?: PartParser;
  /** The slowest a part download may be before it counts as broken (default DEFAULT_PART_PACE). */
  partPace?: Partial<PartPace>;
}

export interface FilesResult {
  generatedTime: string | null;
  parts: number;
  /** One reason per part that could not be read; empty when every part was read. */
  failures: string[];
  /** Whether the export had to be requested again because a SAS URL expired. */
  reRequested: boolean;
}

const EMPTY_PART_RETRIES = 1;

export async function fetchViaFiles(client: ApiClient, sink: RecordSink, options: FilesOptions = {}): Promise<FilesResult> {
  const first = options.listing ?? (await requestExport(client, options.sasValidHours));
  options.onExportRequested?.(first);
  const state: ExportState = { listing: first, generation: 0, refreshUsed: false, refreshing: undefined, restart: undefined };
  const spool = mkdtempSync(join(options.spoolDir ?? tmpdir(), "avhealth-parts-"));
  let round: Round;
  try {
    round = await downloadRound(client, sink, state, options, spool);
    if (state.restart !== undefined) {
      // The fresh export is another snapshot: nothing of the first one may be mixed in.
      for (const batch of round.batches) sink.discardBatch(batch);
      state.listing = state.restart;
      state.restart = undefined;
      options.onExportRequested?.(state.listing);
      round = await downloadRound(client, sink, state, options, spool);
    }
  } finally {
    rmSync(spool, { recursive: true, force: true });
  }
  return { generatedTime: state.listing.generatedTime, parts: state.listing.urls.length, failures: round.failures, reRequested: state.refreshUsed };
}

interface ExportState {
  listing: ExportListing;
  /** Bumped when the URLs are replaced, so that a part knows whether its URL is already the fresh one. */
  generation: number;
  refreshUsed: boolean;
  refreshing: Promise<void> | undefined;
  /** Set when the re-requested export has other parts than the first: the download starts over. */
  restart: ExportListing | undefined;
}

interface Round {
  batches: number[];
  failures: string[];
}

async function downloadRound(client: ApiClient, sink: RecordSink, state: ExportState, options: FilesOptions, spool: string): Promise<Round> {
  const total = state.listing.urls.length;
  const maxRetries = options.maxPartRetries ?? 3;
  const delay = options.retryDelayMs ?? ((attempt: number) => 250 * 2 ** (attempt - 1));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const round: Round = { batches: [], failures: [] };
  const parse = options.parser ?? inlineParser(sink);
  const pace: PartPace = { ...DEFAULT_PART_PACE, ...options.partPace };
  const failures: Array<[number, string]> = [];
  let done = 0;
  let next = 0;
  let fatal = false;

  const runPart = async (index: number): Promise<void> => {
    let broken = 0;
    let empty = 0;
    for (;;) {
      if (state.restart !== undefined || fatal) return;
      const generation = state.generation;
      const url = state.listing.urls[index] as string;
      const batch = sink.newBatch();
      try {
        const records = await readPart(client, { index, total, url }, parse, batch, spool, pace);
        if (records === 0 && empty < EMPTY_PART_RETRIES) {
          sink.discardBatch(batch);
          await sleep(delay(++empty));
          continue;
        }
        round.batches.push(batch);
        options.onPartDone?.(++done, total);
        return;
      } catch (error) {
        sink.discardBatch(batch);
        const where = `${partName({ index, total })} (${safeUrl(url)})`;
        if (isAvHealthError(error, "EXPORT_SAS_EXPIRED")) {
          const outcome = await refreshUrls(client, state, generation, options.sasValidHours);
          if (outcome === "retry") continue;
          if (outcome === "restart") return;
          failures.push([index, `${where}: its download URL expired again after the export was requested a second time`]);
          return;
        }
        if (!isRetryablePartError(error)) throw error;
        if (++broken > maxRetries) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push([index, `${where}: failed ${broken} times, last: ${redact(message)}`]);
          return;
        }
        await sleep(delay(broken));
      }
    }
  };

  const worker = async (): Promise<void> => {
    while (next < total && state.restart === undefined && !fatal) await runPart(next++);
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 4, total) }, worker);
  await Promise.all(workers).catch((error: unknown) => {
    fatal = true;
    throw error;
  });
  round.failures = failures.sort((a, b) => a[0] - b[0]).map(([, reason]) => reason);
  return round;
}

/**
 * Fresh URLs after an expiry seen on URLs of `generation`: "retry" when the part should try again (another
 * part may already have re-requested the export), "restart" when the fresh export is a different one, "spent"
 * when the one re-request has been used and the URL expired anyway.
 */
async function refreshUrls(client: ApiClient, state: ExportState, generation: number, hours?: number): Promise<"retry" | "restart" | "spent"> {
  if (state.restart !== undefined) return "restart";
  if (state.generation > generation) return "retry";
  if (state.refreshing === undefined) {
    if (state.refreshUsed) return "spent";
    state.refreshUsed = true;
    state.refreshing = requestExport(client, hours).then((fresh) => {
      if (samePaths(state.listing.urls, fresh.urls)) state.listing = { ...state.listing, urls: fresh.urls };
      else state.restart = fresh;
      state.generation++;
      state.refreshing = undefined;
    });
  }
  await state.refreshing;
  return state.restart === undefined ? "retry" : "restart";
}

/** The same parts when every URL has the same path (only the SAS query differs). */
function samePaths(a: readonly string[], b: readonly string[]): boolean {
  const path = (u: string): string => u.split("?", 1)[0] as string;
  return a.length === b.length && a.every((u, i) => path(u) === path(b[i] as string));
}
