/**
 * settings.fleet: the trust pins of an org-wide gate. The schema pass checks the shape; here the allowed URLs
 * are held to the same rules as any configured base URL (https except loopback, no credentials, query or
 * fragment), so a pin that could never match is a load-time error, not a silent miss. CA files are read now,
 * relative to the rule file: the pack's own files are the only place a pinned gate takes trust from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CACHE_TTL_HINT, DEFAULT_CACHE_TTL_SECONDS, parseCacheTtl } from "../../cache/ttl";
import { isCloudName } from "../../config/clouds";
import { parseBaseUrl } from "../../config/urls";
import { isAvHealthError } from "../../errors";
import type { ProblemCollector } from "../load/problems";
import type { FleetPins } from "../types";
import { compileSignedPins } from "./signed-pins";
import { pemCertificates } from "../../util/pem";

const METHODS = ["auto", "json", "files"] as const;

export function compileFleetPins(raw: Record<string, unknown>, file: string, problems: ProblemCollector): FleetPins | null {
  const tenantId = typeof raw.tenantId === "string" ? raw.tenantId : null;
  const cloud = raw.cloud === undefined || raw.cloud === null ? "commercial" : typeof raw.cloud === "string" && isCloudName(raw.cloud) ? raw.cloud : null;
  const allowApiUrls = baseUrls(raw.allowApiUrls, "allowApiUrls", problems);
  const allowAuthorityHosts = baseUrls(raw.allowAuthorityHosts, "allowAuthorityHosts", problems);
  const ca = caFiles(raw.caFiles, path.dirname(path.resolve(file)), problems);
  const method = raw.method === undefined || raw.method === null ? "auto" : METHODS.find((m) => m === raw.method) ?? null;
  const cacheTtlSeconds = cacheTtl(raw.cacheTtl, problems);
  const signed = compileSignedPins(raw.signed, path.dirname(path.resolve(file)), problems);
  // Shape problems (a missing tenant, an unknown cloud or method) are reported by the schema pass.
  if (tenantId === null || cloud === null || allowApiUrls === null || allowAuthorityHosts === null || ca === null || method === null || cacheTtlSeconds === null || signed === undefined) {
    return null;
  }
  return { tenantId, cloud, allowApiUrls, allowAuthorityHosts, caFiles: ca.files, caCertificates: ca.certificates, method, cacheTtlSeconds, signed };
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

function caFiles(raw: unknown, dir: string, problems: ProblemCollector): { files: string[]; certificates: string[] } | null {
  if (raw === undefined || raw === null) return { files: [], certificates: [] };
  if (!Array.isArray(raw)) return null;
  const files: string[] = [];
  const certificates: string[] = [];
  let ok = true;
  raw.forEach((value: unknown, i) => {
    if (typeof value !== "string" || value === "") return;
    const where = ["settings", "fleet", "caFiles", i];
    const file = path.resolve(dir, value);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.add(where, `${file} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`}: name a PEM file of CA certificates, relative to the rule file`);
      ok = false;
      return;
    }
    const pems = pemCertificates(text);
    if (pems.length === 0) {
      problems.add(where, `${file} holds no PEM certificate (BEGIN CERTIFICATE): export the CA as PEM`);
      ok = false;
      return;
    }
    files.push(file);
    certificates.push(...pems);
  });
  return ok ? { files, certificates } : null;
}

function cacheTtl(raw: unknown, problems: ProblemCollector): number | null {
  if (raw === undefined || raw === null) return DEFAULT_CACHE_TTL_SECONDS;
  const seconds = parseCacheTtl(raw);
  if (seconds === undefined) {
    problems.add(["settings", "fleet", "cacheTtl"], `must be ${CACHE_TTL_HINT}`);
    return null;
  }
  return seconds;
}
