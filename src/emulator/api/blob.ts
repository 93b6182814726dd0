/**
 * Blob downloads of export parts, authorised by the SAS query alone (a Bearer header is ignored, as Azure
 * Storage ignores it for SAS requests). Parts stream from disk; the truncate, corrupt, trickle, reset and expire faults
 * change what this one response carries, never the part on disk.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { Transform, pipeline, type TransformCallback } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import type { EmulatorContext } from "../context";
import { sendApiError, type Exchange } from "../http";
import { SAS_VERSION, verifySas } from "../export/sas";
import type { FaultKind } from "../faults";

function storageError(ex: Exchange, status: number, code: string, message: string): void {
  sendApiError(ex, status, code, message, { "x-ms-error-code": code, "x-ms-request-id": ex.requestId });
}

/** Cuts the first NDJSON line in half: one malformed line, the rest intact. */
class CorruptFirstLine extends Transform {
  private head = "";
  private done = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) return callback(null, chunk);
    this.head += chunk.toString("utf8");
    const newline = this.head.indexOf("\n");
    if (newline < 0) return callback();
    this.done = true;
    const line = this.head.slice(0, newline);
    callback(null, Buffer.from(`${line.slice(0, Math.max(1, Math.floor(line.length / 2)))}\n${this.head.slice(newline + 1)}`, "utf8"));
  }

  override _flush(callback: TransformCallback): void {
    if (this.done) return callback();
    callback(null, Buffer.from(this.head === "" ? '{"DeviceId":\n' : `${this.head.slice(0, Math.floor(this.head.length / 2))}\n`, "utf8"));
  }
}

export async function handleBlob(context: EmulatorContext, ex: Exchange, faults: readonly FaultKind[]): Promise<void> {
  const part = context.exports.lookup(ex.url.pathname);
  if (part === undefined) return storageError(ex, 404, "BlobNotFound", "The specified blob does not exist.");
  const verdict = verifySas(ex.url, part.blobPath, context.identity.sasKey, context.now().getTime());
  if (verdict === "invalid") {
    return storageError(ex, 403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of the SAS signature is formed correctly.");
  }
  if (verdict === "expired" || faults.includes("expire")) {
    return storageError(ex, 403, "AuthenticationFailed", "Server failed to authenticate the request. Signed expiry time has passed; request a new export.");
  }

  const info = await stat(part.filePath);
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "x-ms-blob-type": "BlockBlob",
    "x-ms-version": SAS_VERSION,
    "x-ms-request-id": ex.requestId,
    etag: `"0x${info.mtimeMs.toString(16).replace(".", "").toUpperCase()}"`,
    "last-modified": info.mtime.toUTCString(),
  };
  const { res } = ex;

  if (faults.includes("corrupt")) {
    // Re-compressed on the fly, so the length is unknown: chunked transfer.
    res.writeHead(200, headers);
    pipeline(createReadStream(part.filePath), createGunzip(), new CorruptFirstLine(), createGzip({ level: 1 }), res, () => undefined);
    return;
  }
  if (faults.includes("trickle")) {
    res.writeHead(200, { ...headers, "content-length": String(info.size) });
    trickle(await readFile(part.filePath), ex, context.trickleMs);
    return;
  }
  const truncated = faults.includes("truncate") || ex.reset === true;
  const length = truncated ? Math.floor(info.size / 2) : info.size;
  // truncate: a complete HTTP response (Content-Length matches) whose gzip stream just stops.
  // reset: Content-Length promises the whole part, and the socket dies halfway.
  res.writeHead(200, { ...headers, "content-length": String(ex.reset === true ? info.size : length) });
  if (length === 0) {
    if (ex.reset === true) res.socket?.destroy();
    else res.end();
    return;
  }
  const body = createReadStream(part.filePath, { start: 0, end: length - 1 });
  if (ex.reset === true) {
    body.pipe(res, { end: false });
    body.on("end", () => res.socket?.destroy());
    body.on("error", () => res.socket?.destroy());
    return;
  }
  pipeline(body, res, () => undefined);
}

/** Writes `bytes` one at a time, `gapMs` apart, until all are sent or the client goes away. */
function trickle(bytes: Buffer, ex: Exchange, gapMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (ex.res.destroyed || at >= bytes.length) {
      clearInterval(timer);
      if (!ex.res.destroyed) ex.res.end();
      return;
    }
    ex.res.write(bytes.subarray(at, ++at));
  }, gapMs);
  ex.res.on("close", () => clearInterval(timer));
}
