/** The snapshot file (shared/spec/cli-and-reports.md): gzip NDJSON, a header line, then sorted device lines. */
export type FetchMethod = "json" | "files";

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
  schemaVersion: 1;
  method: FetchMethod;
  complete: boolean;
  deviceCount: number;
  generatedTime: string | null;
  fetchedAt: string;
  source: SnapshotSource;
  /** "sha256:<hex>" of the device lines, each followed by "\n". */
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
