/** Options and results of taking a snapshot from the Defender API. */
import type { ProgressListener } from "../http/types";
import type { SnapshotHeader, SnapshotSummary } from "../snapshot/types";

export type MethodChoice = "auto" | "json" | "files";

export interface FetchSnapshotOptions {
  method?: MethodChoice;
  /** OData $filter for the JSON method; field names are checked against the 17 filterable ones before sending. */
  filter?: string;
  /** Where the snapshot file goes. */
  outPath: string;
  onProgress?: ProgressListener;
  /** Fleet size above which auto prefers the files method (default 100,000). */
  autoThreshold?: number;
  /** Wall clock, injectable for tests. */
  now?: () => Date;
}

export interface FetchSnapshotResult {
  header: SnapshotHeader;
  summary: SnapshotSummary;
  path: string;
  /** Values that could not be read and became null (for example unparseable times); the records were kept. */
  normalizationWarnings?: number;
  /** The first few of those, located ("page 3, record 17: lastSeenTime: unparseable time ..."). */
  warningSamples?: string[];
}
