/**
 * Parsing a LOCATION: a directory path, an Azure Blob URL (https://<account>.blob.core.windows.net/<container>/<prefix>,
 * sovereign blob hosts, or Azurite's path style http://127.0.0.1:<port>/devstoreaccount1/<container>/<prefix>),
 * or any other https URL. A query (a SAS) is kept apart so that it is never printed.
 */
import * as path from "node:path";
import { assertSecureUrl, isLoopbackHost } from "../config/urls";
import { AvHealthError, ErrorCodes } from "../errors";
import { safeUrl } from "../util/redact";
import type { StoreLocation } from "./types";

const AZURE_BLOB_HOST = /^([a-z0-9]{3,24})\.blob\.core\.(windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)$/i;
const AZURITE_ACCOUNT = "devstoreaccount1";

export function parseLocation(text: string, cwd: string, setting = "LOCATION"): StoreLocation {
  const trimmed = text.trim();
  if (trimmed === "") throw new AvHealthError(ErrorCodes.USAGE, `${setting} is empty: give a directory, an https URL or an Azure Blob URL.`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return { kind: "directory", dir: path.resolve(cwd, trimmed) };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} is not a valid URL: write https://host/path or a directory path.`, { cause, details: { setting } });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} (${safeUrl(url)}) must be a directory path or an https URL.`, { details: { setting } });
  }
  assertSecureUrl(url, setting);
  if (url.username || url.password || url.hash) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} (${safeUrl(url)}) must not carry a user name, password or fragment: remove them.`, { details: { setting } });
  }
  const query = url.search === "" ? null : url.search.slice(1);
  const segments = url.pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const azureHost = AZURE_BLOB_HOST.exec(url.hostname);
  if (azureHost !== null) return azure(`${url.origin}`, (azureHost[1] as string).toLowerCase(), segments, query, setting, url);
  if (isLoopbackHost(url.hostname) && segments[0] === AZURITE_ACCOUNT) return azure(`${url.origin}/${AZURITE_ACCOUNT}`, AZURITE_ACCOUNT, segments.slice(1), query, setting, url);
  return { kind: "https", base: `${url.origin}${url.pathname}`.replace(/\/+$/, ""), query };
}

function azure(serviceUrl: string, account: string, segments: string[], query: string | null, setting: string, url: URL): StoreLocation {
  const [container, ...rest] = segments;
  if (container === undefined || !/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/.test(container)) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} (${safeUrl(url)}) must name a blob container after the account: https://<account>.blob.core.windows.net/<container>/<prefix>.`, {
      details: { setting },
    });
  }
  return { kind: "azure", serviceUrl, account, container, prefix: rest.join("/"), query };
}

/** The location as it may be printed. */
export function describeLocation(location: StoreLocation): string {
  switch (location.kind) {
    case "directory":
      return location.dir;
    case "https":
      return location.base;
    case "azure":
      return [location.serviceUrl, location.container, location.prefix].filter((s) => s !== "").join("/");
  }
}

/** Joins a prefix and a name with exactly one slash. */
export function joinName(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix.replace(/\/+$/, "")}/${name}`;
}
