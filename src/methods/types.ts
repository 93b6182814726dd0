/** What the export methods hand their raw records to (the snapshot's RecordCollector in practice). */
import type { RecordLocation, RecordShape } from "../normalize/types";

export interface RecordSink {
  /** A new batch id: all records of one part attempt, discarded together if the attempt fails. */
  newBatch(): number;
  /** One raw record. `order` decides which duplicate is "later-seen"; it must be unique per record. */
  add(raw: unknown, shape: RecordShape, location: RecordLocation, options: { batch?: number; order?: number }): void;
  discardBatch(batch: number): void;
}

/** The answer of GET /api/machines/InfoGatheringExport. */
export interface ExportListing {
  urls: string[];
  generatedTime: string | null;
}
