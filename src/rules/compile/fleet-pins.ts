/**
 * settings.fleet: the trust pins of an org-wide gate (README.md, "Enforce across an organization"). The schema pass checks the
 * shape; here the allowed URLs are held to the same rules as any configured base URL (https except loopback,
 * no credentials, query or fragment), so a pin that could never match is a load-time error, not a silent miss.
 */
import { isCloudName } from "../../config/clouds";
import { parseBaseUrl } from "../../config/urls";
import { isAvHealthError } from "../../errors";
import type { ProblemCollector } from "../load/problems";
import type { FleetPins } from "../types";

export function compileFleetPins(raw: Record<string, unknown>, problems: ProblemCollector): FleetPins | null {
  const tenantId = typeof raw.tenantId === "string" ? raw.tenantId : null;
  const cloud = raw.cloud === undefined || raw.cloud === null ? "commercial" : typeof raw.cloud === "string" && isCloudName(raw.cloud) ? raw.cloud : null;
  const allowApiUrls = baseUrls(raw.allowApiUrls, "allowApiUrls", problems);
  const allowAuthorityHosts = baseUrls(raw.allowAuthorityHosts, "allowAuthorityHosts", problems);
  // Shape problems (a missing tenant, an unknown cloud) are reported by the schema pass.
  if (tenantId === null || cloud === null || allowApiUrls === null || allowAuthorityHosts === null) return null;
  return { tenantId, cloud, allowApiUrls, allowAuthorityHosts };
}

function baseUrls(raw: unknown, key: string, problems: ProblemCollector): string[] | null {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return null;
  const urls: string[] = [];
  let ok = true;
  raw.forEach((value: unknown, i) => {
    if (typeof value !== "string" || value === "") return;
    try {
      urls.push(parseBaseUrl(value, `settings.fleet.${key}[${i}]`));
    } catch (error) {
      if (!isAvHealthError(error)) throw error;
      problems.add(["settings", "fleet", key, i], error.message);
      ok = false;
    }
  });
  return ok ? urls : null;
}
