/** The real emulator over HTTPS and the real client, as a user would connect them (trusting the emulator's CA). */
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
import { expectedSetDigest } from "../snapshot/lines";

export interface Taken {
  result: FetchSnapshotResult;
  /** The device lines, sorted (a schema-2 snapshot keeps no order), each ending in "\n" ("" when the take asked not to keep it). */
  deviceText: string;
  /** The schema-2 digest of the device lines, computed here from the file, independently of the header. */
  deviceDigest: string;
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
      const all = gunzipSync(fileBytes).toString("utf8");
      const lines = all.slice(all.indexOf("\n") + 1).split("\n").slice(0, -1).sort();
      const deviceDigest = expectedSetDigest(lines);
      const after = this.emulator.requestCounts();
      const counts = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k as keyof typeof before] ?? 0)])) as Taken["counts"];
      const deviceText = options.keepText === false ? "" : lines.map((l) => l + "\n").join("");
      return { result, deviceText, deviceDigest, fileBytes: options.keepText === false ? Buffer.alloc(0) : fileBytes, events, counts };
    } finally {
      await client.close();
    }
  }

  async close(): Promise<void> {
    await this.emulator.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
