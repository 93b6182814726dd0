/**
 * Any https location, read with plain GET (http only on loopback). A query credential (a SAS) is appended to each
 * request and never printed; If-None-Match makes an unchanged object cost a 304. Read only.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import * as fs from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { rootCertificates } from "node:tls";
import { Agent, request, type Dispatcher } from "undici";
import { AvHealthError, ErrorCodes } from "../errors";
import { redact } from "../util/redact";
import { MAX_SMALL_OBJECT_BYTES, tooLarge, type DownloadResult, type PublicationStore, type ReadResult, type StoredFile } from "./types";

export interface HttpsStoreOptions {
  base: string;
  query: string | null;
  ca?: readonly string[];
  /** Injected in tests. */
  dispatcher?: Dispatcher;
}

export class HttpsStore implements PublicationStore {
  readonly writable = false;
  readonly remote = true;
  private readonly dispatcher: Dispatcher;
  constructor(private readonly options: HttpsStoreOptions) {
    // Fixed trust: Node's bundled roots plus the given CAs, verification on whatever the environment says.
    const ca = [...rootCertificates, ...(options.ca ?? [])];
    this.dispatcher = options.dispatcher ?? new Agent({ connect: { ca, rejectUnauthorized: true }, headersTimeout: 60_000, bodyTimeout: 120_000 });
  }

  get location(): string {
    return this.options.base;
  }

  async read(name: string, ifNoneMatch?: string): Promise<ReadResult> {
    const response = await this.get(name, ifNoneMatch);
    if (response.statusCode === 304) {
      await response.body.dump();
      return { modified: false };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_SMALL_OBJECT_BYTES) {
        response.body.destroy();
        throw tooLarge(`${this.options.base}/${name}`);
      }
      chunks.push(chunk as Buffer);
    }
    return { modified: true, body: Buffer.concat(chunks), etag: etagOf(response.headers) };
  }

  async download(name: string, dest: string, ifNoneMatch?: string): Promise<DownloadResult> {
    const response = await this.get(name, ifNoneMatch);
    if (response.statusCode === 304) {
      await response.body.dump();
      return { modified: false };
    }
    const temp = `${dest}.${randomBytes(6).toString("hex")}.part`;
    try {
      await pipeline(response.body, createWriteStream(temp));
      await fs.rename(temp, dest);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw this.unreachable(name, error);
    }
    return { modified: true, etag: etagOf(response.headers) };
  }

  write(): Promise<void> {
    return Promise.reject(this.readOnly());
  }

  list(): Promise<StoredFile[]> {
    return Promise.reject(this.readOnly());
  }

  remove(): Promise<void> {
    return Promise.reject(this.readOnly());
  }

  private async get(name: string, ifNoneMatch: string | undefined): Promise<Dispatcher.ResponseData> {
    const url = `${this.options.base}/${name}${this.options.query ? `?${this.options.query}` : ""}`;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { method: "GET", dispatcher: this.dispatcher, headers: ifNoneMatch ? { "if-none-match": ifNoneMatch } : {} });
    } catch (error) {
      throw this.unreachable(name, error);
    }
    const status = response.statusCode;
    if (status === 200 || status === 304) return response;
    await response.body.dump();
    const where = `${this.options.base}/${name}`;
    if (status === 404) {
      throw new AvHealthError(ErrorCodes.PUBLICATION_NOT_FOUND, `${where} does not exist (HTTP 404): check the location, and that the publisher has published there.`, {
        details: { location: this.options.base, status },
      });
    }
    if (status === 401 || status === 403) {
      throw new AvHealthError(
        ErrorCodes.STORE_ACCESS_DENIED,
        `${where} refused the read (HTTP ${status}): set a valid read credential in AVHEALTH_STORE_SAS (or the stack secret avhealth:storeSas); it may have expired.`,
        { details: { location: this.options.base, status } },
      );
    }
    throw new AvHealthError(ErrorCodes.STORE_UNREACHABLE, `${where} answered HTTP ${status}: try again later, or check the store.`, { details: { location: this.options.base, status } });
  }

  private unreachable(name: string, error: unknown): AvHealthError {
    const reason = redact(error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error));
    return new AvHealthError(
      ErrorCodes.STORE_UNREACHABLE,
      `Cannot reach ${this.options.base}/${name}: ${reason}. Check the network and the location, then run again; the gate fails closed until it can read a publication.`,
      { details: { location: this.options.base } },
    );
  }

  private readOnly(): AvHealthError {
    return new AvHealthError(
      ErrorCodes.STORE_READ_ONLY,
      `${this.options.base} is a plain https location, which avhealth can only read: publish to a directory or an Azure Blob URL, and serve that over https.`,
    );
  }
}

function etagOf(headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers.etag;
  return typeof value === "string" ? value : null;
}
