/**
 * Stack config under `avhealth:` as the Pulumi engine hands it to plugins (PULUMI_CONFIG, a JSON object of full
 * keys, secrets decrypted) or to a dynamic provider's `configure`. The DeviceAvHealth provider and the policy pack
 * read their connection from it the same way; unset values fall through to the environment in resolveConnection.
 */
import type { ConnectionOverrides, Env } from "./types";

/** Read access to stack config by full key (`avhealth:clientSecret`). */
export interface StackConfigSource {
  get(key: string): string | undefined;
}

export const STACK_CONFIG_KEYS = ["tenantId", "clientId", "clientSecret", "cloud", "apiUrl", "authorityHost", "caFile"] as const;

export function stackConfigFromEnv(env: Env): StackConfigSource {
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
  return {
    get: (key) => {
      const value = parsed[key];
      return typeof value === "string" && value.trim() !== "" ? value : undefined;
    },
  };
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

/** Values set on a resource (non-secret connection settings only); each wins over stack config. */
export interface ConnectionInputs {
  tenantId?: string;
  cloud?: string;
  apiUrl?: string;
}

export function connectionOverrides(config: StackConfigSource, inputs: ConnectionInputs = {}): ConnectionOverrides {
  const overrides: ConnectionOverrides = {};
  const pick = (key: (typeof STACK_CONFIG_KEYS)[number], input?: string) => {
    const value = input ?? config.get(`avhealth:${key}`);
    if (value !== undefined && value !== "") overrides[key] = value;
  };
  pick("tenantId", inputs.tenantId);
  pick("clientId");
  pick("clientSecret");
  pick("cloud", inputs.cloud);
  pick("apiUrl", inputs.apiUrl);
  pick("authorityHost");
  pick("caFile");
  return overrides;
}
