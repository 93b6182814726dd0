/**
 * Which route a request is for. API paths are matched case-insensitively and with or without /v1.0, as the
 * real service does; Entra paths carry the tenant as their first segment; blob paths look like the real
 * export's /<yyyy-MM-dd>/<HHmm>/InfoGatheringExport/... layout.
 */
export type RouteMatch =
  | { route: "deviceavinfo" | "export" | "blob" | "oidc" }
  | { route: "token"; tenant: string }
  | { route: "discovery" | "jwks"; tenant: string }
  | { route: "discovery" | "jwks"; oidcIssuer: true }
  | { route: "discovery"; instance: true }
  | { route: "unknown" };

const API_PREFIX = /^\/api(?:\/v1\.0)?\//i;
const TENANT_PATH = /^\/([^/]+)\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|discovery\/v2\.0\/keys|discovery\/keys)$/i;
const BLOB_PATH = /^\/\d{4}-\d{2}-\d{2}\/\d{4}\/InfoGatheringExport\//;

export function matchRoute(pathname: string): RouteMatch {
  const api = API_PREFIX.exec(pathname);
  if (api) {
    const rest = pathname.slice(api[0].length).toLowerCase().replace(/\/$/, "");
    if (rest === "deviceavinfo") return { route: "deviceavinfo" };
    if (rest === "machines/infogatheringexport") return { route: "export" };
    return { route: "unknown" };
  }
  if (BLOB_PATH.test(pathname)) return { route: "blob" };
  const lower = pathname.toLowerCase();
  if (lower === "/oidc/idtoken") return { route: "oidc" };
  if (lower === "/oidc/.well-known/openid-configuration") return { route: "discovery", oidcIssuer: true };
  if (lower === "/oidc/.well-known/jwks") return { route: "jwks", oidcIssuer: true };
  if (lower === "/common/discovery/instance") return { route: "discovery", instance: true };
  const tenantPath = TENANT_PATH.exec(pathname);
  if (tenantPath) {
    const tenant = tenantPath[1] ?? "";
    const what = (tenantPath[2] ?? "").toLowerCase();
    if (what === "oauth2/v2.0/token") return { route: "token", tenant };
    return { route: what.startsWith("discovery") ? "jwks" : "discovery", tenant };
  }
  return { route: "unknown" };
}
