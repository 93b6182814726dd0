/**
 * The JSON method: GET /api/deviceavinfo page by page. Always $top=10000 (the default page is 20); follows
 * @odata.nextLink when the server gives one, else pages with $skip until a short page
 * (the Defender for Endpoint API documentation: many tenants never see a nextLink). A server that has paged with
 * nextLinks and then sends a full page without one has no more rows, so an exact multiple of 10,000 costs no
 * extra call there; with $skip paging it costs at most one empty page.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { ApiClient } from "../http/types";
import { safeUrl } from "../util/redact";
import { validateODataFilter } from "./odata";

export const PAGE_SIZE = 10_000;
const MAX_PAGES = 10_000;

export interface JsonPage {
  /** 1-based page number. */
  index: number;
  records: unknown[];
  /** Records in this and the earlier pages. */
  recordsSoFar: number;
}

export function deviceAvInfoPath(skip: number, filter?: string): string {
  const query = [`$top=${PAGE_SIZE}`];
  if (skip > 0) query.push(`$skip=${skip}`);
  if (filter !== undefined) query.push(`$filter=${encodeURIComponent(filter)}`);
  return `/api/deviceavinfo?${query.join("&")}`;
}

/**
 * Whether the fleet has more than `count` devices, in one call: the device at position count+1, if any
 * (auto's size check, instead of reading `count` devices page by page).
 */
export async function hasDeviceBeyond(client: ApiClient, count: number): Promise<boolean> {
  const url = `/api/deviceavinfo?$top=1&$skip=${count}`;
  const { body } = await client.getJson(url, "deviceavinfo");
  const value = typeof body === "object" && body !== null ? (body as { value?: unknown }).value : undefined;
  if (!Array.isArray(value)) {
    throw new AvHealthError(
      ErrorCodes.API_BAD_RESPONSE,
      `GET ${safeUrl(`${client.apiUrl}${url}`)}: the body has no "value" array. This is not a usable /api/deviceavinfo response; check AVHEALTH_API_URL.`,
      { details: { reason: 'the body has no "value" array' } },
    );
  }
  return value.length > 0;
}

/** A position in the paging, so that a caller (auto's probe) can read some pages and resume later. */
export class PageCursor {
  pages = 0;
  records = 0;
  private next: string | null;
  private usesNextLink = false;
  /** The page number of every URL requested, so that a nextLink back to one of them ends the paging. */
  private readonly requested = new Map<string, number>();

  constructor(
    private readonly client: ApiClient,
    private readonly filter?: string,
    /** More pages than any tenant has (100 million devices): a server sending new links forever is stopped. */
    private readonly maxPages = MAX_PAGES,
  ) {
    if (filter !== undefined) validateODataFilter(filter);
    this.next = deviceAvInfoPath(0, filter);
  }

  get done(): boolean {
    return this.next === null;
  }

  /** Reads the next page and moves past it. */
  async fetchNext(): Promise<JsonPage> {
    const url = this.next;
    if (url === null) throw new Error("PageCursor.fetchNext after the last page");
    const response = await this.client.getJson(url, "deviceavinfo");
    const { records, nextLink } = this.parse(response.body, url);
    this.pages++;
    this.requested.set(this.absolute(url), this.pages);
    this.records += records.length;
    if (records.length === 0) {
      this.next = null;
    } else if (this.pages >= this.maxPages) {
      throw this.bad(url, `the API is still sending pages after ${this.pages} (more than any tenant holds)`);
    } else if (nextLink !== null) {
      if (nextLink === url) throw this.bad(url, "its @odata.nextLink points at the same page");
      // A cycle (A → B → A) would page forever, adding the same devices again and again.
      const earlier = this.requested.get(this.absolute(nextLink));
      if (earlier !== undefined) throw this.bad(url, `its @odata.nextLink leads back to page ${earlier} (a paging cycle)`);
      this.usesNextLink = true;
      this.next = nextLink;
    } else if (records.length < PAGE_SIZE || this.usesNextLink) {
      this.next = null;
    } else {
      this.next = deviceAvInfoPath(this.records, this.filter);
    }
    return { index: this.pages, records, recordsSoFar: this.records };
  }

  private parse(body: unknown, url: string): { records: unknown[]; nextLink: string | null } {
    if (typeof body !== "object" || body === null || !Array.isArray((body as { value?: unknown }).value)) {
      throw this.bad(url, 'the body has no "value" array');
    }
    const page = body as { value: unknown[]; "@odata.nextLink"?: unknown };
    const link = page["@odata.nextLink"];
    return { records: page.value, nextLink: typeof link === "string" && link !== "" ? link : null };
  }

  private absolute(url: string): string {
    return url.startsWith("/") ? `${this.client.apiUrl}${url}` : url;
  }

  private bad(url: string, problem: string): AvHealthError {
    const full = this.absolute(url);
    return new AvHealthError(
      ErrorCodes.API_BAD_RESPONSE,
      `GET ${safeUrl(full)}: ${problem}. This is not a usable /api/deviceavinfo response; check AVHEALTH_API_URL.`,
      { details: { reason: problem } },
    );
  }
}

/** Every page of the fleet (or of the filtered devices), in order. */
export async function* jsonPages(client: ApiClient, filter?: string): AsyncGenerator<JsonPage> {
  const cursor = new PageCursor(client, filter);
  while (!cursor.done) yield await cursor.fetchNext();
}
