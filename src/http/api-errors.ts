/** Turning a non-2xx Defender or blob response into a typed, secret-free error that says what to do next. */
import { AvHealthError, ErrorCodes } from "../errors";
import { redact } from "../util/redact";
import { headerValue, type HeaderBag } from "./retry";
import type { ApiRoute } from "./types";

export interface ApiErrorInfo {
  code: string | null;
  message: string | null;
  requestId: string | null;
}

/** Permissions each route needs (the Defender for Endpoint API documentation). */
export const ROUTE_PERMISSION: Readonly<Record<ApiRoute, string>> = {
  deviceavinfo: "Machine.Read.All",
  export: "Vulnerability.Read.All",
};

/** Reads `{"error":{"code","message","target"}}`, Azure Storage's XML `<Code>`, or nothing (a bodiless 502). */
export function parseErrorBody(text: string, headers: HeaderBag): ApiErrorInfo {
  let code: string | null = headerValue(headers, "x-ms-error-code") ?? null;
  let message: string | null = null;
  let target: string | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
    if (error) {
      code = typeof error.code === "string" ? error.code : code;
      message = typeof error.message === "string" ? error.message : null;
      target = typeof error.target === "string" ? error.target : null;
    }
  } catch {
    const xmlCode = /<Code>([^<]{1,100})<\/Code>/.exec(text);
    if (xmlCode) code = xmlCode[1] ?? code;
  }
  const requestId = requestIdOf(headers) ?? target;
  return { code, message: message === null ? null : redact(message).slice(0, 500), requestId };
}

export function requestIdOf(headers: HeaderBag): string | null {
  return headerValue(headers, "x-request-id") ?? headerValue(headers, "request-id") ?? headerValue(headers, "x-ms-request-id") ?? null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function suffix(info: ApiErrorInfo): string {
  const parts = [info.code, info.message].filter((p): p is string => Boolean(p));
  const id = info.requestId ? ` (request id ${info.requestId})` : "";
  return `${parts.length ? `: ${parts.join(": ")}` : ""}${id}`;
}

/** 403 from the API: the app lacks the route's permission (or the token is for the wrong audience). */
export function forbiddenError(route: ApiRoute, what: string, info: ApiErrorInfo): AvHealthError {
  const permission = ROUTE_PERMISSION[route];
  const fallback = route === "export" ? " Without it, fetch with --method json (Machine.Read.All)." : "";
  return new AvHealthError(
    ErrorCodes.AUTH_FORBIDDEN,
    `${what} was refused with 403 Forbidden${suffix(info)}. The app registration needs the WindowsDefenderATP application permission ${permission} with admin consent: add it under API permissions, grant consent, and run again.${fallback}`,
    { details: { status: 403, route, permission, apiCode: info.code, requestId: info.requestId } },
  );
}

export function unauthorizedError(what: string, info: ApiErrorInfo): AvHealthError {
  return new AvHealthError(
    ErrorCodes.AUTH_FAILED,
    `${what} was refused with 401 Unauthorized even with a freshly issued token${suffix(info)}. Check that the token is issued for this API (AVHEALTH_CLOUD must match AVHEALTH_API_URL) and that the app registration is in the right tenant.`,
    { details: { status: 401, apiCode: info.code, requestId: info.requestId } },
  );
}

export function unexpectedStatusError(status: number, what: string, info: ApiErrorInfo): AvHealthError {
  const advice =
    status === 404
      ? "The resource does not exist on this API host: check AVHEALTH_API_URL / AVHEALTH_CLOUD."
      : status === 400
        ? "The request was rejected as invalid: check the --filter expression."
        : info.code !== null || info.message !== null
          ? "That is the API's own error, as it sent it (secrets removed)."
          : "The response carried no error message (a gateway in front of the API answers so when the API is down or overloaded).";
  return new AvHealthError(ErrorCodes.HTTP_UNEXPECTED_STATUS, `${what} answered HTTP ${status}${suffix(info)}. ${advice}`, {
    details: { status, apiCode: info.code, requestId: info.requestId },
  });
}

export function sasExpiredError(what: string, info: ApiErrorInfo): AvHealthError {
  return new AvHealthError(
    ErrorCodes.EXPORT_SAS_EXPIRED,
    `${what} was refused with 403 ${info.code ?? "AuthenticationFailed"}: the export's download link has expired. Request the export again for fresh links.`,
    { details: { status: 403, apiCode: info.code, requestId: info.requestId } },
  );
}

export function badResponseError(what: string, reason: string, cause?: unknown): AvHealthError {
  return new AvHealthError(ErrorCodes.API_BAD_RESPONSE, `${what} returned ${reason}. This is not a Defender API response: check AVHEALTH_API_URL and any proxy in between.`, {
    cause,
  });
}

/** A 2xx body over the page cap: no page of 10,000 records is that large, so something else is answering. */
export function tooLargeError(what: string, limitBytes: number): AvHealthError {
  return new AvHealthError(
    ErrorCodes.API_BAD_RESPONSE,
    `${what} returned a body larger than ${Math.round(limitBytes / (1024 * 1024))} MiB, more than any page of 10,000 devices; it is not read further. This is not a Defender API response: check AVHEALTH_API_URL and any proxy in between.`,
    { details: { status: 200, reason: "too-large", limitBytes } },
  );
}
