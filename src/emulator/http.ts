/** Response helpers in the exact shapes the real services use. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** What route handlers get besides req/res: the request id that every error body echoes as `target`. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  requestId: string;
  /** The `reset` fault: send headers and half the body, then destroy the socket. */
  reset?: boolean;
}

export const ODATA_JSON = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

export function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(ex, status, JSON.stringify(body), ODATA_JSON, headers);
}

export function sendText(ex: Exchange, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(text, "utf8");
  ex.res.writeHead(status, { ...headers, "content-type": contentType, "content-length": String(payload.length) });
  if (ex.reset) return resetMidBody(ex, payload);
  ex.res.end(payload);
}

/** Writes the first half of `payload` after the headers already sent, then kills the connection. */
export function resetMidBody(ex: Exchange, payload: Buffer): void {
  ex.res.flushHeaders();
  ex.res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => ex.res.socket?.destroy());
}

/** Defender API error body: {"error":{"code","message","target"}} where target is the request id. */
export function sendApiError(ex: Exchange, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(ex, status, { error: { code, message, target: ex.requestId } }, headers);
}

/** Entra token-endpoint error body, as login.microsoftonline.com sends it. */
export function sendAadError(
  ex: Exchange,
  status: number,
  error: string,
  aadsts: number,
  description: string,
  headers: Record<string, string> = {},
): void {
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  sendText(
    ex,
    status,
    JSON.stringify({
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${ex.requestId} Correlation ID: ${ex.requestId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: ex.requestId,
      correlation_id: ex.requestId,
      error_uri: `${ex.url.origin}/error?code=${aadsts}`,
    }),
    "application/json; charset=utf-8",
    headers,
  );
}

/** Reads a request body up to `limit` bytes; null when it is larger (the caller answers 413/400). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] ?? null) : null;
}

/** Query parameter lookup ignoring name case, as OData 4.01 allows for system query options. */
export function queryParam(url: URL, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === wanted) return value;
  }
  return null;
}
