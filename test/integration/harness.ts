/** The real emulator over HTTPS and the real client, as a user would connect them (trusting the emulator's CA). */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { startEmulator } from "../../src/emulator";
import type { EmulatorOptions, RunningEmulator } from "../../src/emulator/types";
import { fetchSnapshot, type FetchInternals } from "../../src/fetch";
import type { FetchSnapshotOptions, FetchSnapshotResult } from "../../src/fetch/types";
import { openApiClient } from "../../src/http/open";
import type { ApiClient, ProgressEvent } from "../../src/http/types";

export interface Taken {
  result: FetchSnapshotResult;
  /** Everything after the header line ("" when the take asked not to keep it). */
  deviceText: string;
  /** sha256 hex of everything after the header line, computed here from the file, independently of the header. */
  deviceSha: string;
  /** The snapshot file's bytes (the file itself goes with the harness). */
  fileBytes: Buffer;
  events: ProgressEvent[];
  counts: ReturnType<RunningEmulator["requestCounts"]>;
}

export class Harness {
  private constructor(
    readonly emulator: RunningEmulator,
    readonly dir: string,
  ) {}

  static async start(options: EmulatorOptions): Promise<Harness> {
    const emulator = await startEmulator({ rateLimit: "off", referenceTime: "2024-05-01T12:00:00Z", ...options });
    return new Harness(emulator, mkdtempSync(join(tmpdir(), "avh-int-")));
  }

  client(): Promise<ApiClient> {
    const e = this.emulator;
    return openApiClient({
      overrides: { tenantId: e.tenantId, clientId: e.clientId, clientSecret: e.clientSecret, apiUrl: e.apiUrl, authorityHost: e.authorityHost, caFile: e.caCertPath },
      env: {},
      budget: "off",
      // Retry-After from the emulator is honoured as sent; only the backoff of bodiless failures is shortened.
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
    });
  }

  /** One fetch through a fresh client; request counts are those of this fetch alone. */
  async take(name: string, options: Partial<FetchSnapshotOptions> & FetchInternals & { keepText?: boolean } = {}): Promise<Taken> {
    const before = this.emulator.requestCounts();
    const client = await this.client();
    const events: ProgressEvent[] = [];
    try {
      const result = await fetchSnapshot({
        client,
        outPath: join(this.dir, `${name}.ndjson.gz`),
        onProgress: (e) => events.push(e),
        now: () => new Date("2024-05-01T13:00:00Z"),
        files: { retryDelayMs: () => 10 },
        ...options,
      });
      const fileBytes = readFileSync(result.path);
      const all = gunzipSync(fileBytes);
      const body = all.subarray(all.indexOf(0x0a) + 1);
      const deviceSha = createHash("sha256").update(body).digest("hex");
      const after = this.emulator.requestCounts();
      const counts = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k as keyof typeof before] ?? 0)])) as Taken["counts"];
      const deviceText = options.keepText === false ? "" : body.toString("utf8");
      return { result, deviceText, deviceSha, fileBytes: options.keepText === false ? Buffer.alloc(0) : fileBytes, events, counts };
    } finally {
      await client.close();
    }
  }

  async close(): Promise<void> {
    await this.emulator.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
