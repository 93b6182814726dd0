/**
 * The connection of an org-wide gate whose rule file pins the fleet (settings.fleet). The gated stack is not
 * trusted: its stack config and often its CI variables are set by its owners. So tenant, cloud, API URL and
 * login host come from the pins; a stack config or environment value that says otherwise is refused by name
 * (never silently ignored, so the owner learns why), and only credentials are taken from either source.
 */
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { CLOUDS } from "./clouds";
import type { StackConfigSource } from "./stack-config";
import type { CloudName, ConnectionOverrides, Env, FleetPins } from "./types";
import { parseBaseUrl } from "./urls";

/*
 * Each cloud's official API and login hosts (the Defender for Endpoint API documentation): the global and
 * legacy commercial hosts with their regional ones, and the US Government hosts.
 */
const COMMERCIAL_API = [
  "api.security.microsoft.com",
  "api.securitycenter.microsoft.com",
  "api.securitycenter.windows.com",
  "api-us.securitycenter.windows.com",
  ...["us", "eu", "uk", "au", "swa", "ina", "aea"].map((region) => `${region}.api.security.microsoft.com`),
  ...["us", "eu", "uk", "au"].map((region) => `api-${region}.securitycenter.microsoft.com`),
];

export const OFFICIAL_HOSTS: Readonly<Record<CloudName, { api: readonly string[]; login: readonly string[] }>> = {
  commercial: { api: COMMERCIAL_API, login: ["login.microsoftonline.com"] },
  gcc: { api: ["api-gcc.securitycenter.microsoft.us", "api-gcc.security.microsoft.us"], login: ["login.microsoftonline.com"] },
  "gcc-high": { api: ["api-gov.securitycenter.microsoft.us", "api-gov.security.microsoft.us"], login: ["login.microsoftonline.us"] },
  dod: { api: ["api-gov.securitycenter.microsoft.us", "api-gov.security.microsoft.us"], login: ["login.microsoftonline.us"] },
};

/** Where each pinned value may also be given, in the order resolveConnection reads them. */
const SOURCES = {
  tenantId: [["avhealth:tenantId", "stack config"], ["AZURE_TENANT_ID", "environment"]],
  cloud: [["avhealth:cloud", "stack config"], ["AVHEALTH_CLOUD", "environment"]],
  apiUrl: [["avhealth:apiUrl", "stack config"], ["AVHEALTH_API_URL", "environment"]],
  authorityHost: [["avhealth:authorityHost", "stack config"], ["AZURE_AUTHORITY_HOST", "environment"]],
} as const;

/**
 * Connection overrides that honour the pins, for resolveConnection with the same env: tenant, cloud and both
 * hosts are always set here, so the environment can only contribute credentials (and a CA bundle, which cannot
 * redirect a pinned host). Throws FLEET_PIN_MISMATCH naming every contradicting setting.
 */
export function pinnedOverrides(pins: FleetPins, config: StackConfigSource, env: Env): ConnectionOverrides {
  const refused: string[] = [];
  const read = (key: keyof typeof SOURCES) => given(key, config, env);

  for (const source of read("tenantId")) {
    if (source.value.trim().toLowerCase() !== pins.tenantId.toLowerCase()) {
      refused.push(`${source.kind} ${source.name} names tenant "${source.value.trim()}", but the rule file pins tenant "${pins.tenantId}"`);
    }
  }
  for (const source of read("cloud")) {
    if (source.value.trim().toLowerCase() !== pins.cloud) {
      refused.push(`${source.kind} ${source.name} is "${source.value.trim()}", but the rule file pins the ${pins.cloud} cloud`);
    }
  }
  const apiUrl = pickAllowed(read("apiUrl"), allowedApiUrls(pins), refused, "API URL") ?? CLOUDS[pins.cloud].apiUrl;
  const authorityHost = pickAllowed(read("authorityHost"), allowedAuthorityHosts(pins), refused, "login host") ?? CLOUDS[pins.cloud].authorityHost;
  if (refused.length > 0) {
    throw new AvHealthError(
      ErrorCodes.FLEET_PIN_MISMATCH,
      `The rule file pins the fleet (settings.fleet), and these settings contradict it: ${refused.join("; ")}. ` +
        "Remove them from the stack's config and environment (only credentials may come from there), or change the pins in the rule file.",
      { details: { refused: refused.length } },
    );
  }

  const overrides: ConnectionOverrides = { tenantId: pins.tenantId, cloud: pins.cloud, apiUrl, authorityHost };
  for (const key of ["clientId", "clientSecret", "caFile"] as const) {
    const value = config.get(`avhealth:${key}`);
    if (value !== undefined) overrides[key] = value;
  }
  return overrides;
}

/** Base URLs the pins allow for the API: the cloud's official hosts and allowApiUrls. */
export function allowedApiUrls(pins: FleetPins): Set<string> {
  return new Set([...OFFICIAL_HOSTS[pins.cloud].api.map((host) => `https://${host}`), ...pins.allowApiUrls.map(lowerOrigin)]);
}

export function allowedAuthorityHosts(pins: FleetPins): Set<string> {
  return new Set([...OFFICIAL_HOSTS[pins.cloud].login.map((host) => `https://${host}`), ...pins.allowAuthorityHosts.map(lowerOrigin)]);
}

interface Given {
  name: string;
  kind: "stack config" | "environment";
  value: string;
}

function given(key: keyof typeof SOURCES, config: StackConfigSource, env: Env): Given[] {
  const found: Given[] = [];
  for (const [name, kind] of SOURCES[key]) {
    const value = kind === "stack config" ? config.get(name) : present(env[name]);
    if (value !== undefined) found.push({ name, kind, value });
  }
  return found;
}

/** The first given value (stack config before environment) when every given value is allowed. */
function pickAllowed(sources: Given[], allowed: Set<string>, refused: string[], what: string): string | undefined {
  let chosen: string | undefined;
  for (const source of sources) {
    let normalized: string;
    try {
      normalized = lowerOrigin(parseBaseUrl(source.value, `${source.kind} ${source.name}`));
    } catch (error) {
      if (!isAvHealthError(error)) throw error;
      refused.push(error.message);
      continue;
    }
    if (!allowed.has(normalized)) {
      refused.push(`${source.kind} ${source.name} is ${normalized}, which is neither an official ${what} of the pinned cloud nor in the rule file's allow list`);
      continue;
    }
    chosen ??= normalized;
  }
  return chosen;
}

/** Host names are case-insensitive; paths are not. */
function lowerOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.origin.toLowerCase()}${url.pathname === "/" ? "" : url.pathname}`;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
