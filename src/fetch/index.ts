/**
 * Taking a snapshot: an export method (json, files or auto) feeds raw records through normalization into the
 * snapshot writer; whatever was lost (a part that failed every retry, a record without an id) makes the
 * snapshot complete:false with the reasons. A failure that loses everything (auth, a JSON page after the HTTP
 * layer's retries) throws its typed error and leaves no file behind.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import { openApiClient, type OpenApiClientOptions } from "../http/open";
import { defaultPartWorkers, PartPool } from "../ingest/pool";
import type { ApiClient, ProgressListener } from "../http/types";
import { fetchAuto } from "../methods/auto";
import { fetchViaFiles, type FilesOptions } from "../methods/files";
import type { ExportListing } from "../methods/types";
import type { JsonPage } from "../methods/json";
import { validateODataFilter } from "../methods/odata";
import { fetchViaJson } from "../methods/run-json";
import { RecordCollector } from "../snapshot/collector";
import type { FetchMethod } from "../snapshot/types";
import { SnapshotWriter, type SnapshotWriterOptions } from "../snapshot/writer";
import type { FetchSnapshotOptions, FetchSnapshotResult } from "./types";

export type { FetchSnapshotOptions, FetchSnapshotResult, MethodChoice } from "./types";

export interface FetchInternals {
  /** Tuning of the files method (tests shorten the retry waits). */
  files?: Pick<FilesOptions, "concurrency" | "maxPartRetries" | "retryDelayMs" | "sleep" | "sasValidHours" | "partPace">;
  writer?: Pick<SnapshotWriterOptions, "tmpDir" | "gzipLevel">;
  /** Worker threads that read export parts (default: defaultPartWorkers(); 0 reads them on the main thread). */
  partWorkers?: number;
}

interface MethodResult {
  method: FetchMethod;
  reason: string;
  generatedTime: string | null;
  failures: string[];
}

export async function fetchSnapshot(options: FetchSnapshotOptions & FetchInternals & { client: ApiClient }): Promise<FetchSnapshotResult> {
  const { client, filter } = options;
  const method = options.method ?? "auto";
  if (filter !== undefined) validateODataFilter(filter);
  if (filter !== undefined && method === "files") {
    throw new AvHealthError(
      ErrorCodes.CONFIG_INVALID,
      "A filter works only with the JSON method: the export files cannot be filtered. Use --method json (or auto) with --filter.",
      { details: { method } },
    );
  }
  const fetchedAt = (options.now ?? (() => new Date()))();
  const writer = new SnapshotWriter({ fetchedAt, ...options.writer });
  const collector = new RecordCollector(writer);
  // Only export parts go to workers; a fetch that can only be JSON (method json, or a filter) never starts any.
  const workers = method === "json" || filter !== undefined ? 0 : (options.partWorkers ?? defaultPartWorkers());
  const pool = workers > 0 ? new PartPool(writer, collector, { workers, fetchedAt }) : undefined;
  let result: MethodResult;
  try {
    const hooks = { ...progressHooks(options.onProgress, writer), parser: pool?.parse };
    result = await runMethod(method, client, collector, options, hooks);
    await pool?.finish();
  } catch (error) {
    await pool?.close();
    writer.abort();
    throw error;
  }
  const written = await writer.finish({
    outPath: options.outPath,
    method: result.method,
    generatedTime: result.generatedTime,
    source: { apiUrl: client.apiUrl, tenantId: client.tenantId ?? null, filter: filter ?? null, methodReason: result.reason },
    incompleteReasons: [...result.failures, ...collector.incompleteReasons()],
  });
  return { ...written, normalizationWarnings: collector.warningCount, warningSamples: [...collector.warningSamples] };
}

/** Opens the API client from configuration (Pulumi overrides, environment), fetches, and closes the client. */
export async function fetchSnapshotWithConfig(
  options: FetchSnapshotOptions & FetchInternals & Pick<OpenApiClientOptions, "overrides" | "env" | "budget" | "retry" | "tls">,
): Promise<FetchSnapshotResult> {
  const client = await openApiClient({
    overrides: options.overrides,
    env: options.env,
    budget: options.budget,
    retry: options.retry,
    tls: options.tls,
    onProgress: options.onProgress,
  });
  try {
    return await fetchSnapshot({ ...options, client });
  } finally {
    await client.close();
  }
}

type Hooks = Pick<FilesOptions, "onPartDone" | "onExportRequested" | "parser"> & {
  onPage: (page: JsonPage) => void;
  onMethod: (method: FetchMethod, reason: string) => void;
};

function progressHooks(listener: ProgressListener | undefined, writer: SnapshotWriter): Hooks {
  const emit: ProgressListener = listener ?? (() => undefined);
  return {
    onPage: (page) => emit({ kind: "page", pages: page.index, devices: page.recordsSoFar }),
    onPartDone: (partsDone, partsTotal) => emit({ kind: "part", partsDone, partsTotal, devices: writer.added }),
    onExportRequested: (listing: ExportListing) => emit({ kind: "export-requested", parts: listing.urls.length, generatedTime: listing.generatedTime }),
    onMethod: (method, reason) => emit({ kind: "method", method, reason }),
  };
}

async function runMethod(
  method: "auto" | FetchMethod,
  client: ApiClient,
  sink: RecordCollector,
  options: FetchSnapshotOptions & FetchInternals,
  hooks: Hooks,
): Promise<MethodResult> {
  if (method === "json") {
    const reason = "method json was requested";
    hooks.onMethod("json", reason);
    await fetchViaJson(client, sink, { filter: options.filter, onPage: hooks.onPage });
    return { method, reason, generatedTime: null, failures: [] };
  }
  if (method === "files") {
    const reason = "method files was requested";
    hooks.onMethod("files", reason);
    const files = await fetchViaFiles(client, sink, { ...options.files, ...hooks });
    return { method, reason, generatedTime: files.generatedTime, failures: files.failures };
  }
  const auto = await fetchAuto(client, sink, { ...options.files, ...hooks, threshold: options.autoThreshold, filter: options.filter });
  return auto.method === "files"
    ? { method: "files", reason: auto.reason, generatedTime: auto.files.generatedTime, failures: auto.files.failures }
    : { method: "json", reason: auto.reason, generatedTime: null, failures: [] };
}
