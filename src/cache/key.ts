/** The cache key: one entry per identity, endpoint, method and filter. No secret takes part. */
import { createHash } from "node:crypto";
import type { ConnectionDescription } from "../config/types";
import type { MethodChoice } from "../fetch/types";

export interface CachedFetchSettings {
  method: MethodChoice;
  filter: string | undefined;
}

export function cacheKey(connection: ConnectionDescription, settings: CachedFetchSettings): string {
  const identity = {
    v: 1,
    tenantId: connection.tenantId.toLowerCase(),
    clientId: connection.clientId.toLowerCase(),
    credentialKind: connection.credentialKind,
    cloud: connection.cloud,
    apiUrl: connection.apiUrl,
    authorityHost: connection.authorityHost,
    method: settings.method,
    filter: settings.filter ?? null,
  };
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 32);
}
