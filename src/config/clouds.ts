/**
 * Sovereign clouds (the Defender for Endpoint API documentation). The API host, the login host and the token scope
 * are chosen together: a token for one cloud's resource is rejected with 403 by another cloud's API.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { CloudName, CloudProfile } from "./types";

/*
 * Commercial uses the legacy api.securitycenter host: it matches the token audience
 * (https://api.securitycenter.microsoft.com) that Microsoft says the WindowsDefenderATP permissions still need,
 * so host and audience never disagree. Regional hosts can be chosen with AVHEALTH_API_URL.
 */
export const CLOUDS: Readonly<Record<CloudName, CloudProfile>> = {
  commercial: {
    name: "commercial",
    apiUrl: "https://api.securitycenter.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    scope: "https://api.securitycenter.microsoft.com/.default",
  },
  gcc: {
    name: "gcc",
    apiUrl: "https://api-gcc.securitycenter.microsoft.us",
    authorityHost: "https://login.microsoftonline.com",
    scope: "https://api-gcc.securitycenter.microsoft.us/.default",
  },
  "gcc-high": {
    name: "gcc-high",
    apiUrl: "https://api-gov.securitycenter.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    scope: "https://api-gov.securitycenter.microsoft.us/.default",
  },
  dod: {
    name: "dod",
    apiUrl: "https://api-gov.securitycenter.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    scope: "https://api-gov.securitycenter.microsoft.us/.default",
  },
};

export function isCloudName(value: string): value is CloudName {
  return Object.prototype.hasOwnProperty.call(CLOUDS, value);
}

/** `source` names where the value came from (AVHEALTH_CLOUD or avhealth:cloud) so the message points there. */
export function parseCloud(value: string, source: string): CloudName {
  const normalized = value.trim().toLowerCase();
  if (isCloudName(normalized)) return normalized;
  throw new AvHealthError(
    ErrorCodes.CONFIG_INVALID,
    `${source} is "${value}", which is not a known cloud: use one of ${Object.keys(CLOUDS).join(", ")}.`,
    { details: { setting: source } },
  );
}
