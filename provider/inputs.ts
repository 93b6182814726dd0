/**
 * Validation of DeviceAvHealth inputs in `check`. Every problem becomes a check failure naming the property and
 * saying what to do; credentials passed as inputs are refused (and never echoed), because inputs end up in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isCloudName } from "../src/config";
import type { MethodChoice } from "../src/fetch/types";
import { CACHE_TTL_HINT, DEFAULT_CACHE_TTL_SECONDS, parseCacheTtl } from "../src/cache/ttl";
import { MAX_FILTER_CHARS, MAX_INCLUDED_DEVICES } from "./limits";
import type { DeviceAvHealthInputs } from "./types";

/** How the engine marks a value that is not known yet (preview, values that depend on other resources). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const INPUT_KEYS = ["method", "filter", "cloud", "apiUrl", "tenantId", "cacheTtl", "includeDevices"] as const;
export const OUTPUT_KEYS = ["schemaVersion", "deviceCount", "summary", "snapshot", "devices"] as const;

const METHODS: readonly MethodChoice[] = ["auto", "json", "files"];

/** Names that look like credentials: refused with a pointer to stack config. */
const CREDENTIAL_KEY = /secret|password|token|certificate|credential|assertion|clientid|privatekey/i;

export interface ValidatedInputs {
  /** The inputs as given (only known input keys), to be returned by check and kept in state. */
  inputs: DeviceAvHealthInputs;
  /** Resolved settings for the fetch. */
  settings: FetchSettings;
  failures: pulumi.dynamic.CheckFailure[];
  /** True when some input is not known yet (preview): no fetch is possible. */
  hasUnknown: boolean;
}

export interface FetchSettings {
  method: MethodChoice;
  filter: string | undefined;
  cloud: string | undefined;
  apiUrl: string | undefined;
  tenantId: string | undefined;
  cacheTtlSeconds: number;
  includeDevices: number;
}

export function validateInputs(news: Record<string, unknown>): ValidatedInputs {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const inputs: Record<string, unknown> = {};
  let hasUnknown = false;

  for (const [key, value] of Object.entries(news)) {
    if (key.startsWith("__") || (OUTPUT_KEYS as readonly string[]).includes(key)) continue;
    if (!(INPUT_KEYS as readonly string[]).includes(key)) {
      failures.push({ property: key, reason: unknownKeyReason(key) });
      continue;
    }
    if (value === undefined || value === null) continue;
    if (containsUnknown(value)) hasUnknown = true;
    inputs[key] = value;
  }

  const settings: FetchSettings = {
    method: "auto",
    filter: undefined,
    cloud: undefined,
    apiUrl: undefined,
    tenantId: undefined,
    cacheTtlSeconds: DEFAULT_CACHE_TTL_SECONDS,
    includeDevices: 0,
  };
  if (!hasUnknown) {
    const check = (property: string, reason: string | undefined) => {
      if (reason !== undefined) failures.push({ property, reason });
    };
    const { method, filter, cloud, apiUrl, tenantId, cacheTtl, includeDevices } = inputs;
    if (method !== undefined) {
      if (typeof method === "string" && (METHODS as readonly string[]).includes(method)) settings.method = method as MethodChoice;
      else check("method", `must be one of ${METHODS.join(", ")} (got ${describe(method)})`);
    }
    if (filter !== undefined) {
      if (typeof filter !== "string" || filter.trim() === "") check("filter", "must be a non-empty OData $filter string");
      else if (filter.length > MAX_FILTER_CHARS) check("filter", `is longer than ${MAX_FILTER_CHARS} characters`);
      else settings.filter = filter;
    }
    if (cloud !== undefined) {
      if (typeof cloud === "string" && isCloudName(cloud)) settings.cloud = cloud;
      else check("cloud", `must be one of commercial, gcc, gcc-high, dod (got ${describe(cloud)})`);
    }
    if (apiUrl !== undefined) {
      if (typeof apiUrl === "string" && URL.canParse(apiUrl)) settings.apiUrl = apiUrl;
      else check("apiUrl", "must be an absolute URL such as https://api.securitycenter.microsoft.com");
    }
    if (tenantId !== undefined) {
      if (typeof tenantId === "string" && tenantId.trim() !== "") settings.tenantId = tenantId.trim();
      else check("tenantId", "must be a non-empty tenant id (GUID or domain)");
    }
    if (cacheTtl !== undefined) {
      const seconds = parseCacheTtl(cacheTtl);
      if (seconds === undefined) check("cacheTtl", `must be ${CACHE_TTL_HINT} (got ${describe(cacheTtl)})`);
      else settings.cacheTtlSeconds = seconds;
    }
    if (includeDevices !== undefined) {
      if (typeof includeDevices === "number" && Number.isInteger(includeDevices) && includeDevices >= 0 && includeDevices <= MAX_INCLUDED_DEVICES) {
        settings.includeDevices = includeDevices;
      } else {
        check("includeDevices", `must be a whole number from 0 to ${MAX_INCLUDED_DEVICES}; for every device, read the compliance report instead`);
      }
    }
  }
  return { inputs: inputs as DeviceAvHealthInputs, settings, failures, hasUnknown };
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

function unknownKeyReason(key: string): string {
  if (CREDENTIAL_KEY.test(key)) {
    return (
      "credentials are never resource inputs (inputs are stored in state). Remove it and set " +
      "`pulumi config set --secret avhealth:clientSecret <secret>` (and avhealth:clientId), or the AZURE_* environment variables"
    );
  }
  return `is not an input of DeviceAvHealth; known inputs: ${INPUT_KEYS.join(", ")}`;
}

/** Short values are echoed to help fix typos; longer ones might be a pasted secret, so only their length is shown. */
function describe(value: unknown): string {
  if (typeof value === "string") return value.length <= 16 ? JSON.stringify(value) : `a ${value.length}-character string`;
  if (typeof value === "number") return String(value);
  return `a ${Array.isArray(value) ? "list" : typeof value}`;
}
