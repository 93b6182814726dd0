/** Contracts of the HTTP layer that the export methods build on. */
import type { Readable } from "node:stream";

/** Budgeted, retried API routes. Blob downloads are SAS-authorised and never carry the Bearer token. */
export type ApiRoute = "deviceavinfo" | "export";

export interface JsonResponse {
  status: number;
  body: unknown;
  /** The server's request id (x-request-id / error.target), for error messages. */
  requestId: string | null;
}

export interface ApiClient {
  /** The API base URL, without a trailing slash (e.g. https://api.securitycenter.microsoft.com). */
  readonly apiUrl: string;
  /** The Entra ID tenant the token is for; recorded in the snapshot so reports can tell fleets apart. */
  readonly tenantId?: string;
  /**
   * GET a JSON resource of the API with the Bearer token: `pathOrUrl` is a path with query ("/api/deviceavinfo?$top=10000")
   * or an absolute URL on the API host (an @odata.nextLink). Retries 429/5xx/resets, keeps under the route's
   * budget, refreshes the token once on 401. Throws AvHealthError (AUTH_FORBIDDEN for 403, HTTP_* otherwise).
   */
  getJson(pathOrUrl: string, route: ApiRoute): Promise<JsonResponse>;
  /**
   * GET a blob by its SAS URL with no Authorization header. Resolves once the status is 200 with the raw
   * (still gzip-compressed) body stream; connection failures and 5xx/429 before the body starts are retried.
   * A 403 AuthenticationFailed (expired SAS) throws EXPORT_SAS_EXPIRED.
   */
  getBlob(sasUrl: string): Promise<Readable>;
  close(): Promise<void>;
}

/** Progress of a long fetch, for the CLI (stderr on a TTY) and Pulumi (log.info). */
export type ProgressEvent =
  | { kind: "token" }
  | { kind: "page"; pages: number; devices: number }
  | { kind: "export-requested"; parts: number; generatedTime: string | null }
  | { kind: "part"; partsDone: number; partsTotal: number; devices: number }
  | { kind: "rate-limit-wait"; route: string; waitMs: number }
  | { kind: "retry"; route: string; attempt: number; reason: string; waitMs: number }
  | { kind: "method"; method: "json" | "files"; reason: string };

export type ProgressListener = (event: ProgressEvent) => void;
