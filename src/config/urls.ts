/** The https rule: every URL the client talks to is https, except loopback (the local emulator, a test server). */
import { isIP } from "node:net";
import { AvHealthError, ErrorCodes } from "../errors";
import { safeUrl } from "../util/redact";

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

/** True when the URL may be used: https anywhere, or http on a loopback host. */
export function isAllowedUrl(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

/**
 * Parse a configured base URL (API or authority) and enforce the https rule. `setting` names the variable the
 * value came from. Returns the origin plus path, without a trailing slash, query or fragment.
 */
export function parseBaseUrl(value: string, setting: string): string {
  // AZURE_AUTHORITY_HOST is often written as a bare host name (login.microsoftonline.us).
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? value.trim() : `https://${value.trim()}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} is not a valid URL: set it to an https URL such as https://host.example.`, {
      cause,
      details: { setting },
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AvHealthError(
      ErrorCodes.CONFIG_INVALID,
      `${setting} (${safeUrl(url)}) must be a plain base URL without credentials, query or fragment: remove them.`,
      { details: { setting } },
    );
  }
  assertSecureUrl(url, setting);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

export function assertSecureUrl(url: URL, setting: string): void {
  if (isAllowedUrl(url)) return;
  throw new AvHealthError(
    ErrorCodes.INSECURE_URL,
    `${setting} (${safeUrl(url)}) is not https: credentials and fleet data must not travel in clear text. Use an https URL (plain http is accepted only for loopback addresses).`,
    { details: { setting, url: safeUrl(url) } },
  );
}
