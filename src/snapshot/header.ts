/** The snapshot header line: built in the spec's key order, and checked when a snapshot is read. */
import { AvHealthError, ErrorCodes } from "../errors";
import type { FetchMethod, SnapshotHeader, SnapshotSource } from "./types";

/** The schema this library writes; schema 1 (sorted lines, digest of the lines) is still read. */
export const SCHEMA_VERSION = 2;

export interface HeaderFields {
  method: FetchMethod;
  deviceCount: number;
  generatedTime: string | null;
  fetchedAt: string;
  source: SnapshotSource;
  digest: string;
  incompleteReasons: readonly string[];
}

/** Keys in the exact order of README.md, "The command line"; incompleteReasons only when incomplete. */
export function buildHeader(f: HeaderFields): SnapshotHeader {
  const complete = f.incompleteReasons.length === 0;
  const source: SnapshotSource =
    f.source.tenantId === undefined
      ? { apiUrl: f.source.apiUrl, filter: f.source.filter }
      : { apiUrl: f.source.apiUrl, tenantId: f.source.tenantId, filter: f.source.filter };
  if (f.source.methodReason !== undefined) source.methodReason = f.source.methodReason;
  const header: SnapshotHeader = {
    kind: "avhealth-snapshot",
    schemaVersion: SCHEMA_VERSION,
    method: f.method,
    complete,
    deviceCount: f.deviceCount,
    generatedTime: f.generatedTime,
    fetchedAt: f.fetchedAt,
    source,
    digest: f.digest,
  };
  if (!complete) header.incompleteReasons = [...f.incompleteReasons];
  return header;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Parses and checks line 1 of a snapshot; anything off is SNAPSHOT_INVALID naming the file and the key. */
export function parseHeader(text: string, file: string): SnapshotHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid(file, "line 1 is not JSON", cause);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(file, "line 1 is not a JSON object");
  const h = value as Record<string, unknown>;
  if (h.kind !== "avhealth-snapshot") throw invalid(file, 'line 1 has no "kind":"avhealth-snapshot"');
  if (h.schemaVersion !== 1 && h.schemaVersion !== 2) {
    throw invalid(file, `schemaVersion ${JSON.stringify(h.schemaVersion)} is not supported (this version reads 1 and 2)`);
  }
  if (h.method !== "json" && h.method !== "files") throw invalid(file, 'header "method" must be "json" or "files"');
  if (typeof h.complete !== "boolean") throw invalid(file, 'header "complete" must be a boolean');
  if (!Number.isSafeInteger(h.deviceCount) || (h.deviceCount as number) < 0) throw invalid(file, 'header "deviceCount" must be a non-negative integer');
  if (h.generatedTime !== null && typeof h.generatedTime !== "string") throw invalid(file, 'header "generatedTime" must be a string or null');
  if (typeof h.fetchedAt !== "string") throw invalid(file, 'header "fetchedAt" must be a string');
  if (typeof h.digest !== "string" || !DIGEST.test(h.digest)) throw invalid(file, 'header "digest" must be "sha256:" and 64 hex digits');
  const source = h.source;
  if (typeof source !== "object" || source === null) throw invalid(file, 'header "source" must be an object');
  const s = source as Record<string, unknown>;
  if (!nullableString(s.apiUrl) || !nullableString(s.filter)) throw invalid(file, 'header "source.apiUrl" and "source.filter" must be strings or null');
  if (s.tenantId !== undefined && !nullableString(s.tenantId)) throw invalid(file, 'header "source.tenantId" must be a string or null');
  if (s.methodReason !== undefined && typeof s.methodReason !== "string") throw invalid(file, 'header "source.methodReason" must be a string');
  const reasons = h.incompleteReasons;
  if (reasons !== undefined && !(Array.isArray(reasons) && reasons.every((r) => typeof r === "string"))) {
    throw invalid(file, 'header "incompleteReasons" must be a list of strings');
  }
  if (!h.complete && reasons === undefined) throw invalid(file, 'an incomplete snapshot must list "incompleteReasons"');
  return h as unknown as SnapshotHeader;
}

function nullableString(value: unknown): boolean {
  return value === null || typeof value === "string";
}

export function invalid(file: string, problem: string, cause?: unknown, line = 1): AvHealthError {
  return new AvHealthError(
    ErrorCodes.SNAPSHOT_INVALID,
    `${file}:${line}: ${problem}. The snapshot file is damaged or not an avhealth snapshot; take a new one with \`avhealth fetch\`.`,
    { cause, details: { file, line } },
  );
}
