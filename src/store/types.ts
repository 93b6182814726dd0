/**
 * Where publications live: a directory, an HTTPS location (read only) or an Azure Blob container. Names are
 * relative to the location ("latest.dsse.json", "snapshots/<hex>.ndjson.gz"). Reads may be conditional on an
 * ETag; "not modified" means the caller's local copy still matches the store (and is verified again anyway).
 */
import { AvHealthError, ErrorCodes } from "../errors";

/** read() is for envelopes: anything larger is not one, and is not held in memory. */
export const MAX_SMALL_OBJECT_BYTES = 4 * 1024 * 1024;

export function tooLarge(where: string): AvHealthError {
  return new AvHealthError(ErrorCodes.PUBLICATION_INVALID, `${where} is larger than ${MAX_SMALL_OBJECT_BYTES / 1024 / 1024} MB, so it is not an envelope of this tool: check the location.`);
}

export type ReadResult = { modified: true; body: Buffer; etag: string | null } | { modified: false };
export type DownloadResult = { modified: true; etag: string | null } | { modified: false };

export interface StoredFile {
  name: string;
  lastModified: Date;
}

export interface PublicationStore {
  /** The location as it may be printed: no SAS, no query, no account key. */
  readonly location: string;
  /** True when reads are over the network and worth a local copy. */
  readonly remote: boolean;
  /** False for a store avhealth can only read (a plain https location). */
  readonly writable: boolean;
  read(name: string, ifNoneMatch?: string): Promise<ReadResult>;
  /** Streams the object to `dest` (written whole or not at all). */
  download(name: string, dest: string, ifNoneMatch?: string): Promise<DownloadResult>;
  /** The file itself, for a store that is a local directory (no copy needed). */
  localPath?(name: string): string;
  write(name: string, source: { file: string } | { body: Buffer }): Promise<void>;
  list(prefix: string): Promise<StoredFile[]>;
  remove(name: string): Promise<void>;
}

export type StoreLocation =
  | { kind: "directory"; dir: string }
  | { kind: "https"; base: string; query: string | null }
  | { kind: "azure"; serviceUrl: string; account: string; container: string; prefix: string; query: string | null };

/** Credentials for the store, decided by the caller (CLI flags and environment, or the pack's stack secret). */
export interface StoreCredentials {
  /** A SAS or other query credential, without or with the leading "?". */
  sas?: string;
  /** AZURE_STORAGE_CONNECTION_STRING. */
  connectionString?: string;
  /** A token credential for Azure Blob (default DefaultAzureCredential); injected in tests. */
  tokenCredential?: import("@azure/core-auth").TokenCredential;
  /** Extra CA certificates (PEM texts) trusted for https stores, beside Node's roots. */
  ca?: readonly string[];
}
