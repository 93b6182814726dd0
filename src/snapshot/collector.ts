/**
 * Where raw records from any source (API pages, export parts, local files) go: each is normalized and added to
 * the snapshot writer. A record that cannot become a device is never dropped silently: it is counted, located,
 * and makes the snapshot incomplete. Rejects and warnings belong to a batch, so a discarded part attempt takes
 * its own rejects with it.
 */
import { isAvHealthError } from "../errors";
import type { NormalizedDevice } from "../model/device";
import { normalizeFileRecord } from "../normalize/files";
import { normalizeJsonRecord } from "../normalize/json";
import { isRecord } from "../normalize/keys";
import { formatLocation, type NormalizeContext, type NormalizeWarning, type RecordLocation, type RecordShape } from "../normalize/types";
import type { AddOptions, SnapshotWriter } from "./writer";

/** Where normalized devices go: the snapshot writer, or a part worker's line writer. */
export type DeviceSink = Pick<SnapshotWriter, "newBatch" | "add" | "discardBatch">;

const LISTED_REJECTS = 20;
const WARNING_SAMPLES = 10;

const REJECT_PHRASES: Readonly<Record<string, string>> = {
  "missing-id": "the record has no machine id",
  "bad-nested-json": "a nested JSON string in the record is unreadable",
  "not-an-object": "the record is not a JSON object",
};

export interface BatchReport {
  rejects: string[];
  warnings: number;
  warningSamples: string[];
}

export class RecordCollector<W extends DeviceSink = DeviceSink> {
  private readonly rejects = new Map<number, string[]>();
  private readonly warningCounts = new Map<number, number>();
  readonly warningSamples: string[] = [];
  /** The record shapes met so far ("auto" records count as the shape they were sniffed as). */
  readonly shapesSeen = new Set<RecordShape>();
  /** Reused for every record (normalization is synchronous), so a large export allocates no context per record. */
  private readonly ctx: NormalizeContext = { location: { source: "", line: 0 }, onWarning: (w) => this.warn(this.batch, w) };
  private batch = 0;

  constructor(readonly writer: W) {}

  newBatch(): number {
    return this.writer.newBatch();
  }

  /** Normalizes one raw record of the given shape ("auto" sniffs it) and adds it to the writer. */
  add(raw: unknown, shape: RecordShape | "auto", location: RecordLocation, options: AddOptions = {}): void {
    const batch = options.batch ?? 0;
    const ctx = this.ctx;
    ctx.location = location;
    this.batch = batch;
    let device: NormalizedDevice;
    try {
      const actual = shape === "auto" ? sniffShape(raw) : shape;
      this.shapesSeen.add(actual);
      device = actual === "json" ? normalizeJsonRecord(raw, ctx) : normalizeFileRecord(raw, ctx);
    } catch (error) {
      if (!isAvHealthError(error, "RECORD_INVALID")) throw error;
      const reason = typeof error.details.reason === "string" ? error.details.reason : "";
      const list = this.rejects.get(batch) ?? [];
      list.push(`${formatLocation(location)}: ${REJECT_PHRASES[reason] ?? "the record is unreadable"}; not included`);
      this.rejects.set(batch, list);
      return;
    }
    this.writer.add(device, { batch, order: options.order });
  }

  discardBatch(batch: number): void {
    this.writer.discardBatch(batch);
    this.rejects.delete(batch);
    this.warningCounts.delete(batch);
  }

  /**
   * Hands over (and forgets) what a batch left behind: its located rejects, its warning count and the warning
   * samples taken since the last hand-over. A part worker reads one part at a time and reports this per part.
   */
  takeBatch(batch: number): BatchReport {
    const report = { rejects: this.rejects.get(batch) ?? [], warnings: this.warningCounts.get(batch) ?? 0, warningSamples: this.warningSamples.splice(0) };
    this.rejects.delete(batch);
    this.warningCounts.delete(batch);
    return report;
  }

  /** Takes in what another thread's collector reported for a batch read there (see takeBatch). */
  importBatch(batch: number, report: BatchReport): void {
    if (report.rejects.length > 0) this.rejects.set(batch, [...(this.rejects.get(batch) ?? []), ...report.rejects]);
    if (report.warnings > 0) this.warningCounts.set(batch, (this.warningCounts.get(batch) ?? 0) + report.warnings);
    for (const sample of report.warningSamples) if (this.warningSamples.length < WARNING_SAMPLES) this.warningSamples.push(sample);
  }

  get rejectedCount(): number {
    let n = 0;
    for (const list of this.rejects.values()) n += list.length;
    return n;
  }

  get warningCount(): number {
    let n = 0;
    for (const count of this.warningCounts.values()) n += count;
    return n;
  }

  /** Incompleteness caused by rejected records: the first few located, then a count of the rest. */
  incompleteReasons(): string[] {
    const all = [...this.rejects.values()].flat();
    const listed = all.slice(0, LISTED_REJECTS);
    if (all.length > LISTED_REJECTS) listed.push(`and ${all.length - LISTED_REJECTS} more records could not be read`);
    return listed;
  }

  private warn(batch: number, warning: NormalizeWarning): void {
    this.warningCounts.set(batch, (this.warningCounts.get(batch) ?? 0) + 1);
    if (this.warningSamples.length < WARNING_SAMPLES) {
      this.warningSamples.push(`${formatLocation(warning.location)}: ${warning.message}`);
    }
  }
}

/** JSON-API records carry machineId/id; via-files records carry DeviceId/DeviceGatheredInfo (any casing). */
export function sniffShape(raw: unknown): RecordShape {
  if (!isRecord(raw)) return "json";
  if ("machineId" in raw || "id" in raw) return "json";
  if ("DeviceId" in raw || "DeviceGatheredInfo" in raw) return "files";
  return Object.keys(raw).some((k) => {
    const lower = k.toLowerCase();
    return lower === "deviceid" || lower === "devicegatheredinfo";
  })
    ? "files"
    : "json";
}
