/**
 * Messages between the fetch (main thread) and its part workers. Errors cross the thread boundary as plain
 * data and are revived with the same code, so retry decisions and typed error codes are the same whichever
 * thread read the part.
 */
import { AvHealthError, isAvHealthError, type ErrorCode } from "../errors";
import type { PartPosition } from "../methods/part";
import type { Profile } from "../snapshot/summary";
import type { BatchTable } from "../snapshot/types";

export interface WorkerSetup {
  /** ISO time of the fetch: the summary's stale cut-off. */
  fetchedAt: string;
  /** This worker's segment file, in the fetch writer's segment directory. */
  segmentPath: string;
  gzipLevel: number;
}

export type ToWorker =
  | { type: "part"; id: number; path: string; part: PartPosition; batch: number }
  | { type: "finish"; id: number };

export type FromWorker =
  | {
      type: "part-done";
      id: number;
      records: number;
      rejects: string[];
      warnings: number;
      warningSamples: string[];
      /** The part's devices; profile indexes refer to `profiles`, the worker's summary profiles so far. */
      table: BatchTable;
      profiles: Profile[];
    }
  | { type: "failed"; id: number; error: SerializedError }
  | { type: "finished"; id: number };

export interface SerializedError {
  message: string;
  /** An AvHealthError's code, or a Node/zlib/undici error code. */
  code?: string;
  avhealth: boolean;
  details?: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (isAvHealthError(error)) return { message: error.message, code: error.code, avhealth: true, details: error.details };
  const code = (error as { code?: unknown } | null)?.code;
  return {
    message: error instanceof Error ? error.message : String(error),
    code: typeof code === "string" ? code : undefined,
    avhealth: false,
  };
}

export function reviveError(serialized: SerializedError): Error {
  if (serialized.avhealth) {
    return new AvHealthError(serialized.code as ErrorCode, serialized.message, { details: serialized.details });
  }
  const error = new Error(serialized.message) as Error & { code?: string };
  if (serialized.code !== undefined) error.code = serialized.code;
  return error;
}
