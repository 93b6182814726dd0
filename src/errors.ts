/**
 * Every failure the library reports is an AvHealthError with a stable code. Callers and tests branch on `code`
 * (through isAvHealthError), never on message text. Messages say what to do next and never carry secrets:
 * whoever builds one passes values through redact() first.
 */
export const ErrorCodes = {
  // configuration and credentials
  AUTH_MISSING_CONFIG: "AUTH_MISSING_CONFIG",
  AUTH_FAILED: "AUTH_FAILED",
  AUTH_FORBIDDEN: "AUTH_FORBIDDEN",
  CONFIG_INVALID: "CONFIG_INVALID",
  INSECURE_URL: "INSECURE_URL",
  /** A setting contradicts the trust pins of the rule file (settings.fleet). */
  FLEET_PIN_MISMATCH: "FLEET_PIN_MISMATCH",
  // HTTP
  HTTP_RETRIES_EXHAUSTED: "HTTP_RETRIES_EXHAUSTED",
  HTTP_UNEXPECTED_STATUS: "HTTP_UNEXPECTED_STATUS",
  HTTP_NETWORK: "HTTP_NETWORK",
  HTTP_BUDGET_EXHAUSTED: "HTTP_BUDGET_EXHAUSTED",
  // export methods
  API_BAD_RESPONSE: "API_BAD_RESPONSE",
  ODATA_FILTER_INVALID: "ODATA_FILTER_INVALID",
  EXPORT_SAS_EXPIRED: "EXPORT_SAS_EXPIRED",
  EXPORT_PART_FAILED: "EXPORT_PART_FAILED",
  EXPORT_PART_CORRUPT: "EXPORT_PART_CORRUPT",
  EXPORT_UNAVAILABLE: "EXPORT_UNAVAILABLE",
  // normalization: a record that cannot become a device (no machine id, unreadable nested JSON)
  RECORD_INVALID: "RECORD_INVALID",
  // snapshot
  SNAPSHOT_INVALID: "SNAPSHOT_INVALID",
  SNAPSHOT_INCOMPLETE: "SNAPSHOT_INCOMPLETE",
  SNAPSHOT_NOT_FOUND: "SNAPSHOT_NOT_FOUND",
  // rules
  RULES_INVALID: "RULES_INVALID",
  RULES_TOO_LARGE: "RULES_TOO_LARGE",
  RULE_CASE_INVALID: "RULE_CASE_INVALID",
  // history: a line of the history file that is not an entry; a history file that cannot be written
  HISTORY_INVALID: "HISTORY_INVALID",
  HISTORY_WRITE_FAILED: "HISTORY_WRITE_FAILED",
  // baselines: an earlier report that cannot be read or is not one this program understands
  BASELINE_INVALID: "BASELINE_INVALID",
  // signed publications: keys, envelopes, statements, freshness, and the stores that hold them
  SIGNING_KEY_INVALID: "SIGNING_KEY_INVALID",
  SIGNATURE_INVALID: "SIGNATURE_INVALID",
  PUBLICATION_INVALID: "PUBLICATION_INVALID",
  PUBLICATION_NOT_FOUND: "PUBLICATION_NOT_FOUND",
  PUBLICATION_TENANT_MISMATCH: "PUBLICATION_TENANT_MISMATCH",
  PUBLICATION_CLOUD_MISMATCH: "PUBLICATION_CLOUD_MISMATCH",
  PUBLICATION_INCOMPLETE: "PUBLICATION_INCOMPLETE",
  PUBLICATION_STALE: "PUBLICATION_STALE",
  PUBLICATION_EXPIRED: "PUBLICATION_EXPIRED",
  PUBLICATION_FROM_FUTURE: "PUBLICATION_FROM_FUTURE",
  SNAPSHOT_DIGEST_MISMATCH: "SNAPSHOT_DIGEST_MISMATCH",
  STORE_UNREACHABLE: "STORE_UNREACHABLE",
  STORE_ACCESS_DENIED: "STORE_ACCESS_DENIED",
  STORE_READ_ONLY: "STORE_READ_ONLY",
  // CLI
  USAGE: "USAGE",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface AvHealthErrorOptions {
  cause?: unknown;
  /** Structured, secret-free detail for programmatic callers (status, request id, file position...). */
  details?: Record<string, unknown>;
}

export class AvHealthError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  /** Marker that survives module duplication (two copies of the package in one process). */
  readonly __avhealthError = true;

  constructor(code: ErrorCode, message: string, options: AvHealthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AvHealthError";
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isAvHealthError(value: unknown, code?: ErrorCode): value is AvHealthError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { __avhealthError?: unknown; code?: unknown };
  if (candidate.__avhealthError !== true) return false;
  return code === undefined || candidate.code === code;
}
