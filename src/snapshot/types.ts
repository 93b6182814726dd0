/**
 * The snapshot file (README.md, "The command line"): gzip NDJSON, a header line, then one device line per
 * machineId. Schema 2 (written now): lines in any order, digest over the set of lines (digest.ts). Schema 1
 * (still read): lines sorted by machineId, digest = sha256 of the lines.
 */
import type { Column } from "./columns";

export type FetchMethod = "json" | "files";

export type SchemaVersion = 1 | 2;

export interface SnapshotSource {
  apiUrl: string | null;
  /** The tenant the snapshot was taken from; absent in older snapshots and null for converted local inputs. */
  tenantId?: string | null;
  filter: string | null;
  /** Why this method was used, e.g. "auto: export answered 403, fell back to json". Extra key beyond the spec. */
  methodReason?: string;
}

export interface SnapshotHeader {
  kind: "avhealth-snapshot";
  schemaVersion: SchemaVersion;
  method: FetchMethod;
  complete: boolean;
  deviceCount: number;
  generatedTime: string | null;
  fetchedAt: string;
  source: SnapshotSource;
  /** "sha256:<hex>": schema 2 over the set of device lines (digest.ts); schema 1 of the sorted lines, each followed by "\n". */
  digest: string;
  /** Why the snapshot is incomplete (lost pages or parts); present only when complete is false. */
  incompleteReasons?: string[];
}

/** Counts computed in the same pass that writes the snapshot. */
export interface SnapshotSummary {
  deviceCount: number;
  byAvMode: Record<string, number>;
  bySignatureUpToDate: TriStateCounts;
  byEngineUpToDate: TriStateCounts;
  byPlatformUpToDate: TriStateCounts;
  byOsKind: Record<string, number>;
  byRbacGroup: Record<string, number>;
  /** Devices whose dataRefreshTimestamp (else lastSeenTime) is older than fetchedAt - 7 days, or missing. */
  stale: number;
}

export interface TriStateCounts {
  true: number;
  false: number;
  unknown: number;
}

/** Where a gzip member of device lines sits in a segment file (offset -1 until it is written). */
export interface MemberRef {
  offset: number;
  length: number;
  lines: number;
}

/**
 * The devices one batch added, as columns (row i is the i-th line added) in blocks of BLOCK_ROWS rows
 * (columns.ts), with the members holding their lines. Each block has its own buffer, so that a worker thread can
 * transfer the table without copying it.
 */
export interface BatchTable {
  segment: string;
  rows: number;
  members: MemberRef[];
  /** 32-byte sha256 of each line. */
  hashes: Column<Uint8Array>;
  /** dataRefreshTimestamp in ms, -Infinity when null. */
  time: Column<Float64Array>;
  order: Column<Float64Array>;
  profile: Column<Uint32Array>;
  /** Index into members, and line number inside that member. */
  member: Column<Uint32Array>;
  line: Column<Uint32Array>;
  /**
   * A 64-bit fingerprint of the machineId: idKey() (also its slot in the de-duplication table) and idCheck().
   * The id itself is not kept; equal fingerprints are confirmed from the lines (member-lines.ts).
   */
  idKey: Column<Uint32Array>;
  idCheck: Column<Uint32Array>;
}
