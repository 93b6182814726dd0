/** A signed publication: an in-toto Statement v1 about one snapshot file, in a DSSE envelope. */
import type { CloudName } from "../config/types";

export const PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const PREDICATE_TYPE = "urn:pulumi-defender-avhealth:fleet-snapshot:v1";

export interface FleetSnapshotPredicate {
  tenantId: string;
  cloud: CloudName;
  apiUrl: string;
  method: string;
  deviceCount: number;
  complete: boolean;
  /** The snapshot header's set digest, "sha256:<hex>". */
  digest: string;
  snapshotSchemaVersion: 2;
  generatedTime: string | null;
  fetchedAt: string;
  expiresAt: string;
  publisher: { tool: string; version: string };
}

export interface StatementSubject {
  /** "snapshots/<hex>.ndjson.gz", relative to the location. */
  name: string;
  digest: { sha256: string };
}

export interface FleetSnapshotStatement {
  _type: typeof STATEMENT_TYPE;
  subject: [StatementSubject];
  predicateType: typeof PREDICATE_TYPE;
  predicate: FleetSnapshotPredicate;
}

/** What a gate pins: the keys it trusts, the tenant and cloud, and how old a publication may be. */
export interface PublicationPins {
  tenantId: string;
  cloud: CloudName;
  maxAgeMs: number;
}

/** A publication whose steps 1–5 all held, on the file at snapshotPath. */
export interface VerifiedPublication {
  /** The location without credentials. */
  location: string;
  keyid: string;
  statement: FleetSnapshotStatement;
  predicate: FleetSnapshotPredicate;
  snapshotPath: string;
  /** now − fetchedAt when verified. */
  ageMs: number;
}

export const LATEST_NAME = "latest.dsse.json";
export const SNAPSHOTS_DIR = "snapshots";
export const DEFAULT_MAX_AGE = "25h";
export const DEFAULT_EXPIRES = "25h";
export const DEFAULT_KEEP = 5;
/** Clocks of publisher and gate may disagree this much. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function subjectName(sha256Hex: string): string {
  return `${SNAPSHOTS_DIR}/${sha256Hex}.ndjson.gz`;
}
