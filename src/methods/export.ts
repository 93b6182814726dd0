/** GET /api/machines/InfoGatheringExport: the SAS URLs of the export parts and when the export was generated. */
import { AvHealthError, ErrorCodes } from "../errors";
import type { ApiClient } from "../http/types";
import type { ExportListing } from "./types";

/** The docs disagree on the maximum (24 or 6 hours, reference §1.3); 6 is safe under both. */
export const MAX_SAS_VALID_HOURS = 6;
export const DEFAULT_SAS_VALID_HOURS = 6;

export function clampSasValidHours(hours: number): number {
  if (!Number.isFinite(hours)) return DEFAULT_SAS_VALID_HOURS;
  return Math.min(MAX_SAS_VALID_HOURS, Math.max(1, Math.round(hours)));
}

export async function requestExport(client: ApiClient, sasValidHours: number = DEFAULT_SAS_VALID_HOURS): Promise<ExportListing> {
  const response = await client.getJson(`/api/machines/InfoGatheringExport?sasValidHours=${clampSasValidHours(sasValidHours)}`, "export");
  return parseListing(response.body);
}

export function parseListing(body: unknown): ExportListing {
  const b = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const files = b.exportFiles;
  if (!Array.isArray(files) || !files.every((f): f is string => typeof f === "string" && f !== "")) {
    throw new AvHealthError(
      ErrorCodes.API_BAD_RESPONSE,
      'The InfoGatheringExport answer has no "exportFiles" list of URLs. Check AVHEALTH_API_URL, or fetch with --method json.',
      { details: { reason: "no-export-files" } },
    );
  }
  const generated = typeof b.generatedTime === "string" ? Date.parse(b.generatedTime) : Number.NaN;
  return { urls: files, generatedTime: Number.isNaN(generated) ? null : new Date(generated).toISOString() };
}
