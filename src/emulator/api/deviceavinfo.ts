/**
 * GET /api/deviceavinfo: OData paging over the fleet, built page by page (a million-device fleet is never
 * materialised). $top defaults to 20 and must be 1..10000; $skip any count; $filter the documented subset.
 * @odata.nextLink carries $skip when more rows remain, unless the emulator runs with nextLink off, as some
 * tenants answer (defender-api.md §5.1).
 */
import type { EmulatorContext } from "../context";
import type { FleetSource } from "../fleet/source";
import type { FaultKind } from "../faults";
import { ODATA_JSON, queryParam, sendApiError, sendText, type Exchange } from "../http";
import { ODataSyntaxError } from "../odata/lexer";
import { matches, parseFilter, type FilterNode } from "../odata/filter";

export const DEFAULT_TOP = 20;
export const MAX_TOP = 10_000;
const SUPPORTED_OPTIONS = new Set(["$top", "$skip", "$filter"]);

export interface PageQuery {
  top: number;
  skip: number;
  filterText: string | null;
  filter: FilterNode | null;
}

/** Parses the query or returns the ODataError message. */
export function parsePageQuery(url: URL): PageQuery | string {
  for (const key of url.searchParams.keys()) {
    if (key.startsWith("$") && !SUPPORTED_OPTIONS.has(key.toLowerCase())) {
      return `The query parameter '${key}' is not supported on this entity set.`;
    }
  }
  const topText = queryParam(url, "$top");
  const skipText = queryParam(url, "$skip");
  const filterText = queryParam(url, "$filter");
  let top = DEFAULT_TOP;
  if (topText !== null) {
    if (!/^\d+$/.test(topText.trim())) return `Invalid value '${topText}' for $top query option: an integer is expected.`;
    top = Number(topText.trim());
    if (top < 1 || top > MAX_TOP) return `The limit of '${MAX_TOP}' for Top query has been exceeded or is below 1. The value from the incoming request is '${topText}'.`;
  }
  let skip = 0;
  if (skipText !== null) {
    if (!/^\d{1,15}$/.test(skipText.trim())) return `Invalid value '${skipText}' for $skip query option: a non-negative integer is expected.`;
    skip = Number(skipText.trim());
  }
  let filter: FilterNode | null = null;
  if (filterText !== null) {
    try {
      filter = parseFilter(filterText);
    } catch (error) {
      if (error instanceof ODataSyntaxError) return `Invalid filter clause: ${error.message}`;
      throw error;
    }
  }
  return { top, skip, filterText, filter };
}

export interface Page {
  records: Record<string, unknown>[];
  hasMore: boolean;
}

/** The page, scanning the fleet only as far as needed (to one match past the page, to know if more remain). */
export function selectPage(fleet: FleetSource, query: PageQuery): Page {
  if (query.filter === null) {
    const end = Math.min(fleet.size, query.skip + query.top);
    const records: Record<string, unknown>[] = [];
    for (let i = query.skip; i < end; i++) records.push(fleet.device(i));
    return { records, hasMore: end < fleet.size };
  }
  const records: Record<string, unknown>[] = [];
  let seen = 0;
  for (let i = 0; i < fleet.size; i++) {
    const device = fleet.device(i);
    if (!matches(query.filter, device)) continue;
    if (seen++ < query.skip) continue;
    if (records.length === query.top) return { records, hasMore: true };
    records.push(device);
  }
  return { records, hasMore: false };
}

function nextLink(context: EmulatorContext, ex: Exchange, query: PageQuery, skip: number): string {
  let link = `${context.baseUrl}${ex.url.pathname}?$top=${query.top}&$skip=${skip}`;
  if (query.filterText !== null) link += `&$filter=${encodeURIComponent(query.filterText)}`;
  return link;
}

export function handleDeviceAvInfo(context: EmulatorContext, ex: Exchange, faults: readonly FaultKind[] = []): void {
  const query = parsePageQuery(ex.url);
  if (typeof query === "string") return sendApiError(ex, 400, "ODataError", query);
  const page = selectPage(context.fleet.source, query);
  const parts = [`{"@odata.context":${JSON.stringify(`${context.baseUrl}/api/$metadata#DeviceAvInfo`)},"value":[`];
  parts.push(page.records.map((record) => JSON.stringify(record)).join(","));
  parts.push("]");
  // The cycle fault: a page past the first links back to the first page, whatever remains.
  if (faults.includes("cycle") && query.skip > 0) parts.push(`,"@odata.nextLink":${JSON.stringify(nextLink(context, ex, query, 0))}`);
  else if (page.hasMore && context.nextLink) parts.push(`,"@odata.nextLink":${JSON.stringify(nextLink(context, ex, query, query.skip + query.top))}`);
  parts.push("}");
  sendText(ex, 200, parts.join(""), ODATA_JSON, { "odata-version": "4.0" });
}
