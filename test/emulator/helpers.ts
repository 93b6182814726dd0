/** Real-socket helpers for emulator tests: an undici Agent trusting the emulator's CA, token and GET helpers. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Agent, request } from "undici";
import { startEmulator } from "../../src/emulator";
import type { EmulatorOptions, RunningEmulator } from "../../src/emulator";

export const FIXED_NOW = new Date("2025-03-01T12:00:00Z");

export interface Harness {
  emulator: RunningEmulator;
  agent: Agent;
  close(): Promise<void>;
}

/** An emulator on a fixed clock with a small fleet unless the test says otherwise. */
export async function harness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ devices: 25, seed: "test", now: () => FIXED_NOW, ...options });
  const agent = new Agent({ connect: { ca: readFileSync(emulator.caCertPath, "utf8") } });
  return {
    emulator,
    agent,
    async close() {
      await agent.close();
      await emulator.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Buffer;
  json(): unknown;
}

export async function http(
  h: Harness,
  url: string,
  init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const res = await request(url, { dispatcher: h.agent, method: init.method ?? "GET", headers: init.headers, body: init.body });
  const body = Buffer.from(await res.body.arrayBuffer());
  const text = body.toString("utf8");
  return { status: res.statusCode, headers: res.headers, text, body, json: () => JSON.parse(text) as unknown };
}

export function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() };
}

export const SCOPE = "https://api.securitycenter.microsoft.com/.default";

export async function tokenFor(h: Harness, fields: Record<string, string> = {}): Promise<Reply> {
  const { emulator } = h;
  return http(h, `${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    // A field given as "" is left out, e.g. { client_secret: "" } to send an assertion instead.
    ...form(
      Object.fromEntries(
        Object.entries({ grant_type: "client_credentials", client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: SCOPE, ...fields }).filter(
          ([, value]) => value !== "",
        ),
      ),
    ),
  });
}

export async function accessToken(h: Harness): Promise<string> {
  const reply = await tokenFor(h);
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
  return (reply.json() as { access_token: string }).access_token;
}

export async function apiGet(h: Harness, pathOrUrl: string, token?: string): Promise<Reply> {
  const url = pathOrUrl.startsWith("https://") ? pathOrUrl : `${h.emulator.apiUrl}${pathOrUrl}`;
  return http(h, url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

export function errorCode(reply: Reply): unknown {
  return (reply.json() as { error?: { code?: unknown } }).error?.code;
}

export function gunzipLines(body: Buffer): string[] {
  return gunzipSync(body)
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "");
}

export interface ExportReply {
  exportFiles: string[];
  generatedTime: string;
}

export async function requestExport(h: Harness, token: string, query = ""): Promise<ExportReply> {
  const reply = await apiGet(h, `/api/machines/InfoGatheringExport${query}`, token);
  if (reply.status !== 200) throw new Error(`export failed: ${reply.status} ${reply.text}`);
  return reply.json() as ExportReply;
}
