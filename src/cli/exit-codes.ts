/**
 * One table from error code to exit code, shared by every command (README.md, "The command line"):
 * 2 bad usage or invalid input files, 3 data that could not be fetched or read completely, 4 auth/permission.
 */
import { ErrorCodes, type ErrorCode } from "../errors";

export const ExitCode = { OK: 0, GATE_FAILED: 1, USAGE: 2, INCOMPLETE: 3, AUTH: 4 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const BY_ERROR: Readonly<Record<ErrorCode, ExitCodeValue>> = {
  [ErrorCodes.AUTH_MISSING_CONFIG]: ExitCode.AUTH,
  [ErrorCodes.AUTH_FAILED]: ExitCode.AUTH,
  [ErrorCodes.AUTH_FORBIDDEN]: ExitCode.AUTH,
  [ErrorCodes.CONFIG_INVALID]: ExitCode.USAGE,
  [ErrorCodes.INSECURE_URL]: ExitCode.USAGE,
  [ErrorCodes.FLEET_PIN_MISMATCH]: ExitCode.USAGE,
  [ErrorCodes.HTTP_RETRIES_EXHAUSTED]: ExitCode.INCOMPLETE,
  [ErrorCodes.HTTP_UNEXPECTED_STATUS]: ExitCode.INCOMPLETE,
  [ErrorCodes.HTTP_NETWORK]: ExitCode.INCOMPLETE,
  [ErrorCodes.HTTP_BUDGET_EXHAUSTED]: ExitCode.INCOMPLETE,
  [ErrorCodes.API_BAD_RESPONSE]: ExitCode.INCOMPLETE,
  [ErrorCodes.ODATA_FILTER_INVALID]: ExitCode.USAGE,
  [ErrorCodes.EXPORT_SAS_EXPIRED]: ExitCode.INCOMPLETE,
  [ErrorCodes.EXPORT_PART_FAILED]: ExitCode.INCOMPLETE,
  [ErrorCodes.EXPORT_PART_CORRUPT]: ExitCode.INCOMPLETE,
  [ErrorCodes.EXPORT_UNAVAILABLE]: ExitCode.INCOMPLETE,
  [ErrorCodes.RECORD_INVALID]: ExitCode.INCOMPLETE,
  [ErrorCodes.SNAPSHOT_INVALID]: ExitCode.USAGE,
  [ErrorCodes.SNAPSHOT_INCOMPLETE]: ExitCode.INCOMPLETE,
  [ErrorCodes.SNAPSHOT_NOT_FOUND]: ExitCode.USAGE,
  [ErrorCodes.RULES_INVALID]: ExitCode.USAGE,
  [ErrorCodes.RULES_TOO_LARGE]: ExitCode.USAGE,
  [ErrorCodes.RULE_CASE_INVALID]: ExitCode.USAGE,
  [ErrorCodes.HISTORY_INVALID]: ExitCode.USAGE,
  [ErrorCodes.HISTORY_WRITE_FAILED]: ExitCode.USAGE,
  [ErrorCodes.BASELINE_INVALID]: ExitCode.USAGE,
  [ErrorCodes.SIGNING_KEY_INVALID]: ExitCode.USAGE,
  // A publication that does not verify is data the gate cannot use, as incomplete data is.
  [ErrorCodes.SIGNATURE_INVALID]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_INVALID]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_NOT_FOUND]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_TENANT_MISMATCH]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_CLOUD_MISMATCH]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_INCOMPLETE]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_STALE]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_EXPIRED]: ExitCode.INCOMPLETE,
  [ErrorCodes.PUBLICATION_FROM_FUTURE]: ExitCode.INCOMPLETE,
  [ErrorCodes.SNAPSHOT_DIGEST_MISMATCH]: ExitCode.INCOMPLETE,
  [ErrorCodes.STORE_UNREACHABLE]: ExitCode.INCOMPLETE,
  [ErrorCodes.STORE_ACCESS_DENIED]: ExitCode.AUTH,
  [ErrorCodes.STORE_READ_ONLY]: ExitCode.USAGE,
  [ErrorCodes.USAGE]: ExitCode.USAGE,
};

/** Codes added to ErrorCodes later fall back to INCOMPLETE: an unknown failure never reads as success. */
export function exitCodeFor(code: string): ExitCodeValue {
  return (BY_ERROR as Record<string, ExitCodeValue | undefined>)[code] ?? ExitCode.INCOMPLETE;
}
