/** An in-memory ApiClient over a small fleet, with per-request blob faults, for unit tests of the methods. */
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { AvHealthError, ErrorCodes } from "../../src/errors";
import type { ApiClient, ApiRoute, JsonResponse } from "../../src/http/types";
import { fileRecord, jsonRecord } from "../normalize/fixtures";

export type BlobFault = "reset" | "truncate" | "corrupt" | "expired" | "empty" | "status" | "bom-crlf";

export interface FakeOptions {
  devices: number;
  parts?: number;
  nextLink?: boolean;
  /** Status the export call answers with instead of a listing. */
  exportStatus?: 403 | 404;
  /** Faults by blob request number (1-based, counted over all blob requests). */
  blobFaults?: Record<number, BlobFault>;
  /** A part that fails on every request. */
  alwaysBroken?: number;
  /** Export listings after the first have other part paths (a regenerated export). */
  regenerate?: boolean;
}

export interface FakeClient extends ApiClient {
  calls: { deviceavinfo: string[]; export: string[]; blob: string[] };
}

export function deviceId(i: number): string {
  return `dev-${String(i).padStart(6, "0")}`;
}

export function fakeClient(o: FakeOptions): FakeClient {
  const ids = Array.from({ length: o.devices }, (_, i) => deviceId((i * 7919) % Math.max(o.devices, 1)));
  const parts = o.parts ?? 3;
  const calls = { deviceavinfo: [] as string[], export: [] as string[], blob: [] as string[] };
  let exports = 0;
  const partLines = (p: number): string[] =>
    ids.filter((_, i) => i % parts === p).map((id) => JSON.stringify(fileRecord({ top: { DeviceId: id, DeviceName: `${id}.contoso.com` } })));

  async function getJson(pathOrUrl: string, route: ApiRoute): Promise<JsonResponse> {
    const url = new URL(pathOrUrl, "https://api.test");
    if (route === "deviceavinfo") {
      calls.deviceavinfo.push(pathOrUrl);
      const top = Number(url.searchParams.get("$top") ?? 20);
      const skip = Number(url.searchParams.get("$skip") ?? 0);
      const value = ids.slice(skip, skip + top).map((id) => jsonRecord({ machineId: id, id, computerDnsName: `${id}.contoso.com` }));
      const body: Record<string, unknown> = { "@odata.context": "https://api.test/api/$metadata#DeviceAvInfo", value };
      if (o.nextLink && skip + top < ids.length) body["@odata.nextLink"] = `https://api.test/api/deviceavinfo?$top=${top}&$skip=${skip + top}`;
      return { status: 200, body, requestId: null };
    }
    calls.export.push(pathOrUrl);
    if (o.exportStatus !== undefined) {
      const code = o.exportStatus === 403 ? ErrorCodes.AUTH_FORBIDDEN : ErrorCodes.HTTP_UNEXPECTED_STATUS;
      throw new AvHealthError(code, `export answered ${o.exportStatus}`, { details: { status: o.exportStatus } });
    }
    exports++;
    const prefix = o.regenerate && exports > 1 ? "regen" : "orig";
    const exportFiles = Array.from({ length: parts }, (_, p) => `https://blob.test/${prefix}/part-${p}.json.gz?se=x&sig=SECRETSIG${exports}`);
    return { status: 200, body: { exportFiles, generatedTime: "2024-05-01T22:01:00Z" }, requestId: null };
  }

  async function getBlob(sasUrl: string): Promise<Readable> {
    calls.blob.push(sasUrl);
    const p = Number(/part-(\d+)/.exec(sasUrl)?.[1]);
    const fault = p === o.alwaysBroken ? "truncate" : o.blobFaults?.[calls.blob.length];
    if (fault === "expired") throw new AvHealthError(ErrorCodes.EXPORT_SAS_EXPIRED, "expired", { details: { status: 403 } });
    if (fault === "status") throw new AvHealthError(ErrorCodes.HTTP_RETRIES_EXHAUSTED, "503 after retries", { details: { status: 503 } });
    if (fault === "empty") return Readable.from([]);
    let lines = partLines(p);
    if (fault === "corrupt" && lines.length > 0) lines = [...lines.slice(0, 1), '{"DeviceId": "x", broken', ...lines.slice(1)];
    const text = fault === "bom-crlf" ? "\uFEFF" + lines.join("\r\n") + "\r\n\r\n" : lines.join("\n") + (lines.length ? "\n" : "");
    const gz = gzipSync(text);
    if (fault === "truncate") return Readable.from([gz.subarray(0, Math.floor(gz.length / 2))]);
    if (fault === "reset") {
      return new Readable({
        read() {
          this.push(gz.subarray(0, Math.floor(gz.length / 2)));
          this.destroy(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
        },
      });
    }
    // Small chunks, so that lines and gzip blocks straddle chunk boundaries.
    const chunks: Buffer[] = [];
    for (let i = 0; i < gz.length; i += 97) chunks.push(gz.subarray(i, i + 97));
    return Readable.from(chunks);
  }

  return { apiUrl: "https://api.test", tenantId: "tenant-test", getJson, getBlob, close: async () => undefined, calls };
}
