/**
 * Where the provider's credentials come from: resource inputs for the non-secret connection settings, then stack
 * config under `avhealth:` (delivered decrypted by the engine to `configure`, or in PULUMI_CONFIG), then the
 * environment (read by resolveConnection). The cache key is built from the secret-free description only.
 */
import { createHash } from "node:crypto";
import type { ConnectionDescription, ConnectionOverrides } from "../src/config";
import type { FetchSettings } from "./inputs";

/** Read access to stack config by full key (`avhealth:clientSecret`). */
export interface StackConfigSource {
  get(key: string): string | undefined;
}

export const STACK_CONFIG_KEYS = ["tenantId", "clientId", "clientSecret", "cloud", "apiUrl", "authorityHost", "caFile"] as const;

/** Stack config as the engine puts it in a plugin's environment: PULUMI_CONFIG, a JSON object of full keys. */
export function stackConfigFromEnv(env: Readonly<Record<string, string | undefined>>): StackConfigSource {
  let parsed: Record<string, unknown> = {};
  const raw = env.PULUMI_CONFIG;
  if (raw) {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) parsed = value as Record<string, unknown>;
    } catch {
      // A malformed PULUMI_CONFIG carries no usable config; the environment variables still apply.
      parsed = {};
    }
  }
  return { get: (key) => (typeof parsed[key] === "string" ? (parsed[key] as string) : undefined) };
}

/** Merges the first defined value per key: earlier sources win. */
export function firstOf(...sources: StackConfigSource[]): StackConfigSource {
  return {
    get(key) {
      for (const source of sources) {
        const value = source.get(key);
        if (value !== undefined && value !== "") return value;
      }
      return undefined;
    },
  };
}

/** Inputs (non-secret settings) over stack config; unset values fall through to the environment later. */
export function connectionOverrides(settings: FetchSettings, config: StackConfigSource): ConnectionOverrides {
  const overrides: ConnectionOverrides = {};
  const pick = (key: (typeof STACK_CONFIG_KEYS)[number], input?: string) => {
    const value = input ?? config.get(`avhealth:${key}`);
    if (value !== undefined && value !== "") overrides[key] = value;
  };
  pick("tenantId", settings.tenantId);
  pick("clientId");
  pick("clientSecret");
  pick("cloud", settings.cloud);
  pick("apiUrl", settings.apiUrl);
  pick("authorityHost");
  pick("caFile");
  return overrides;
}

/** One cache entry per identity, endpoint, method and filter; no secret takes part. */
export function cacheKey(connection: ConnectionDescription, settings: Pick<FetchSettings, "method" | "filter">): string {
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
