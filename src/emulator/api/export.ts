/**
 * GET /api/machines/InfoGatheringExport[?sasValidHours=N]: the latest export snapshot of the current fleet as
 * SAS download URLs (built on the first call per fleet version, then reused, as the real export is a scheduled
 * snapshot that a GET does not regenerate). Default URL validity 3 h; sasValidHours 1..24 (defender-api.md §1.3).
 */
import type { EmulatorContext } from "../context";
import { queryParam, sendApiError, sendJson, type Exchange } from "../http";
import { signBlobUrl } from "../export/sas";
import type { FaultKind } from "../faults";

export const DEFAULT_SAS_HOURS = 3;
export const MAX_SAS_HOURS = 24;
const HOUR_MS = 60 * 60 * 1000;

export async function handleExport(context: EmulatorContext, ex: Exchange, faults: readonly FaultKind[]): Promise<void> {
  // The doc's own example writes $sasValidHours; accept both spellings.
  const hoursText = queryParam(ex.url, "sasValidHours") ?? queryParam(ex.url, "$sasValidHours");
  let hours = DEFAULT_SAS_HOURS;
  if (hoursText !== null) {
    if (!/^\d+$/.test(hoursText.trim()) || Number(hoursText) < 1 || Number(hoursText) > MAX_SAS_HOURS) {
      return sendApiError(ex, 400, "InvalidInput", `sasValidHours must be an integer from 1 to ${MAX_SAS_HOURS} (got '${hoursText.slice(0, 20)}').`);
    }
    hours = Number(hoursText);
  }
  const fleet = context.fleet;
  const snapshot = await context.exports.snapshot(fleet);
  const parts = [...snapshot.parts];
  if (faults.includes("empty")) parts.push(await context.exports.extraPart(fleet, "empty"));
  if (faults.includes("dup")) parts.push(await context.exports.extraPart(fleet, "dup"));

  const nowMs = context.now().getTime();
  // The expire fault hands out URLs whose validity window ended a minute ago.
  const [startMs, expiryMs] = faults.includes("expire") ? [nowMs - (hours * HOUR_MS + 60_000), nowMs - 60_000] : [nowMs, nowMs + hours * HOUR_MS];
  const exportFiles = parts.map((part) => signBlobUrl(context.baseUrl, part.blobPath, context.identity.sasKey, startMs, expiryMs));
  sendJson(ex, 200, {
    "@odata.context": `${context.baseUrl}/api/$metadata#microsoft.windowsDefenderATP.api.ExportFilesResponse`,
    exportFiles,
    generatedTime: snapshot.generatedTime,
  });
}
