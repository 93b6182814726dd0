/**
 * An Azure Blob container (and prefix) as a store, through @azure/storage-blob. Authentication, first that is
 * given: a SAS, a connection string, else a token credential (DefaultAzureCredential: managed identity, workload
 * identity, Azure CLI), which tests inject. The SDK reports an unchanged blob under If-None-Match as a RestError
 * with status 304; that is "not modified" here, not a failure.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import type { TokenCredential } from "@azure/core-auth";
import type { ContainerClient, StoragePipelineOptions } from "@azure/storage-blob";
import { AvHealthError, ErrorCodes } from "../errors";
import { redact, registerSecret } from "../util/redact";
import { joinName } from "./location";
import { MAX_SMALL_OBJECT_BYTES, tooLarge, type DownloadResult, type PublicationStore, type ReadResult, type StoreCredentials, type StoredFile } from "./types";

export interface AzureStoreOptions {
  serviceUrl: string;
  account: string;
  container: string;
  prefix: string;
  credentials: StoreCredentials;
  /** Fewer, shorter retries in tests. */
  retry?: { maxTries: number; retryDelayInMs: number };
}

export class AzureBlobStore implements PublicationStore {
  readonly writable = true;
  readonly remote = true;
  private client: Promise<ContainerClient> | undefined;
  readonly location: string;

  constructor(private readonly options: AzureStoreOptions) {
    this.location = [options.serviceUrl, options.container, options.prefix].filter((s) => s !== "").join("/");
  }

  async read(name: string, ifNoneMatch?: string): Promise<ReadResult> {
    const blob = (await this.container()).getBlobClient(joinName(this.options.prefix, name));
    try {
      const response = await blob.download(0, undefined, ifNoneMatch ? { conditions: { ifNoneMatch } } : {});
      const body = await streamToBuffer(response.readableStreamBody, `${this.location}/${name}`);
      return { modified: true, body, etag: response.etag ?? null };
    } catch (error) {
      if (statusOf(error) === 304) return { modified: false };
      throw this.failure(name, error);
    }
  }

  async download(name: string, dest: string, ifNoneMatch?: string): Promise<DownloadResult> {
    const blob = (await this.container()).getBlobClient(joinName(this.options.prefix, name));
    const temp = `${dest}.${randomBytes(6).toString("hex")}.part`;
    try {
      const response = await blob.downloadToFile(temp, 0, undefined, ifNoneMatch ? { conditions: { ifNoneMatch } } : {});
      await fs.rename(temp, dest);
      return { modified: true, etag: response.etag ?? null };
    } catch (error) {
      await fs.rm(temp, { force: true });
      if (statusOf(error) === 304) return { modified: false };
      throw this.failure(name, error);
    }
  }

  async write(name: string, source: { file: string } | { body: Buffer }): Promise<void> {
    const blob = (await this.container()).getBlockBlobClient(joinName(this.options.prefix, name));
    const contentType = name.endsWith(".json") ? "application/json" : "application/gzip";
    try {
      if ("file" in source) await blob.uploadFile(source.file, { blobHTTPHeaders: { blobContentType: contentType } });
      else await blob.upload(source.body, source.body.length, { blobHTTPHeaders: { blobContentType: contentType } });
    } catch (error) {
      throw this.failure(name, error, "write");
    }
  }

  async list(prefix: string): Promise<StoredFile[]> {
    const container = await this.container();
    const base = joinName(this.options.prefix, "");
    const files: StoredFile[] = [];
    try {
      for await (const item of container.listBlobsFlat({ prefix: joinName(this.options.prefix, prefix) })) {
        files.push({ name: item.name.slice(base.length), lastModified: item.properties.lastModified });
      }
    } catch (error) {
      throw this.failure(prefix, error, "list");
    }
    return files;
  }

  async remove(name: string): Promise<void> {
    const blob = (await this.container()).getBlobClient(joinName(this.options.prefix, name));
    try {
      await blob.deleteIfExists();
    } catch (error) {
      throw this.failure(name, error, "delete");
    }
  }

  private container(): Promise<ContainerClient> {
    this.client ??= this.open();
    return this.client;
  }

  private async open(): Promise<ContainerClient> {
    const { BlobServiceClient, ContainerClient } = await import("@azure/storage-blob");
    const { serviceUrl, container, credentials } = this.options;
    const pipeline: StoragePipelineOptions = {
      retryOptions: { maxTries: this.options.retry?.maxTries ?? 3, retryDelayInMs: this.options.retry?.retryDelayInMs ?? 1000, maxRetryDelayInMs: 8000 },
    };
    const sas = credentials.sas?.replace(/^\?/, "");
    if (sas) {
      registerSecret(sas);
      return new ContainerClient(`${serviceUrl}/${container}?${sas}`, undefined, pipeline);
    }
    if (credentials.connectionString) {
      const key = /AccountKey=([^;]+)/i.exec(credentials.connectionString)?.[1];
      registerSecret(key);
      registerSecret(/SharedAccessSignature=([^;]+)/i.exec(credentials.connectionString)?.[1]);
      let service;
      try {
        service = BlobServiceClient.fromConnectionString(credentials.connectionString, pipeline);
      } catch {
        throw new AvHealthError(ErrorCodes.CONFIG_INVALID, "AZURE_STORAGE_CONNECTION_STRING is not a storage connection string: copy it again from the storage account's Access keys.");
      }
      if (service.accountName !== this.options.account) {
        throw new AvHealthError(
          ErrorCodes.CONFIG_INVALID,
          `AZURE_STORAGE_CONNECTION_STRING is for account ${service.accountName}, but the location ${this.location} is in account ${this.options.account}: use the matching connection string.`,
        );
      }
      // The location comes from the rule file or the command line; a credential may grant access, never move it.
      if (new URL(service.url).origin !== new URL(serviceUrl).origin) {
        throw new AvHealthError(
          ErrorCodes.CONFIG_INVALID,
          `AZURE_STORAGE_CONNECTION_STRING points at ${new URL(service.url).origin}, but the location ${this.location} is at ${new URL(serviceUrl).origin}: ` +
            "use a connection string for that endpoint (its BlobEndpoint), or a SAS.",
        );
      }
      return service.getContainerClient(container);
    }
    const credential: TokenCredential = credentials.tokenCredential ?? new (await import("@azure/identity")).DefaultAzureCredential();
    return new ContainerClient(`${serviceUrl}/${container}`, credential, pipeline);
  }

  private failure(name: string, error: unknown, action = "read"): AvHealthError {
    const where = `${this.location}/${name}`;
    const status = statusOf(error);
    if (status === 404 && action === "read") {
      return new AvHealthError(ErrorCodes.PUBLICATION_NOT_FOUND, `${where} does not exist: check the location, and that the publisher has published there.`, {
        details: { location: this.location, status },
      });
    }
    if (status === 401 || status === 403) {
      return new AvHealthError(
        ErrorCodes.STORE_ACCESS_DENIED,
        `Azure Storage refused to ${action} ${where} (HTTP ${status}): check the SAS (AVHEALTH_STORE_SAS or avhealth:storeSas: permissions, expiry), the connection string, or the identity's role on the container.`,
        { details: { location: this.location, status } },
      );
    }
    const errorName = (error as { name?: unknown }).name;
    if (errorName === "CredentialUnavailableError" || errorName === "AuthenticationError" || errorName === "AggregateAuthenticationError") {
      return new AvHealthError(
        ErrorCodes.STORE_ACCESS_DENIED,
        `No credential could ${action} ${where}: set AVHEALTH_STORE_SAS (or the stack secret avhealth:storeSas) to a SAS, or AZURE_STORAGE_CONNECTION_STRING, or sign in an identity with a Storage Blob Data role (managed identity, workload identity, Azure CLI).`,
        { details: { location: this.location } },
      );
    }
    const code = (error as { code?: unknown }).code;
    const detail = status !== undefined ? `HTTP ${status}` : typeof code === "string" ? code : error instanceof Error ? error.message.split("\n")[0] : String(error);
    return new AvHealthError(
      ErrorCodes.STORE_UNREACHABLE,
      `Cannot ${action} ${where}: ${redact(detail ?? "unknown error")}. Check the network and the location, then run again; the gate fails closed until it can read a publication.`,
      { details: { location: this.location, ...(status === undefined ? {} : { status }) } },
    );
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined, where: string): Promise<Buffer> {
  if (stream === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_SMALL_OBJECT_BYTES) throw tooLarge(where);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
