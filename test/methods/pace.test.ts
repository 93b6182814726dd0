/**
 * Downloads and pagings that would otherwise never end: a part that trickles (a byte now and then keeps the
 * idle timeout from firing) and a nextLink cycle. Both end with a typed error; a part that keeps trickling is
 * reported as a failure (the snapshot is then incomplete), never skipped or waited on forever.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { ErrorCodes } from "../../src/errors";
import { openApiClient } from "../../src/http/open";
import type { ApiClient } from "../../src/http/types";
import { fetchViaFiles, fetchViaJson } from "../../src/methods";
import type { PartPace } from "../../src/methods/pace";
import { readPart } from "../../src/methods/part";
import { emulatorEnv } from "../helpers/emulator-env";
import { failure } from "../helpers/errors";
import { fakeClient } from "./fake-client";
import { RecordingSink } from "./record-sink";

const CANARY = "canary-Secret-9b44c1~not-for-logs";
/** At least 2,000 bytes/s over each 300 ms; the emulator's trickle sends 20. */
const PACE: PartPace = { minBytesPerSecond: 2000, windowMs: 300, deadlineMs: 20_000 };

let spool: string;
beforeEach(() => {
  spool = mkdtempSync(join(tmpdir(), "avhealth-pace-"));
});
afterEach(() => rmSync(spool, { recursive: true, force: true }));

/** A client whose blob is `body()`; everything else is the fake client's. */
function blobClient(body: () => Readable): ApiClient {
  return { ...fakeClient({ devices: 1 }), getBlob: async () => body() };
}

function timed(gapMs: number, chunk: () => Buffer): Readable {
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      timer ??= setInterval(() => this.push(chunk()), gapMs);
    },
    destroy(error, callback) {
      clearInterval(timer);
      callback(error);
    },
  });
}

const never = async (): Promise<number> => {
  throw new Error("a part that never finished downloading was parsed");
};

describe("readPart's pace", () => {
  it("gives up a part that trickles one byte at a time as EXPORT_PART_FAILED, within one window", async () => {
    const started = Date.now();
    const error = await failure(readPart(blobClient(() => timed(20, () => Buffer.from("x"))), { index: 1, total: 3, url: "https://blob.test/p" }, never, 1, spool, PACE));
    expect([error.code, error.details.reason]).toEqual([ErrorCodes.EXPORT_PART_FAILED, "too-slow"]);
    expect(error.message).toMatch(/^part 2 of 3: the download is too slow \(\d+ bytes in the last 0\.3 s, below the minimum of 2000 bytes\/s; \d+ bytes received\)\.$/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readdirSync(spool)).toEqual([]);
  });

  it("gives up a part that keeps its pace but never ends, at the deadline", async () => {
    const error = await failure(
      readPart(blobClient(() => timed(10, () => Buffer.alloc(1024))), { index: 0, total: 1, url: "https://blob.test/p" }, never, 1, spool, { ...PACE, deadlineMs: 700 }),
    );
    expect([error.code, error.details.reason]).toEqual([ErrorCodes.EXPORT_PART_FAILED, "too-slow"]);
    expect(error.message).toContain("still downloading after 0.7 s");
  });
});

describe("against the emulator (real HTTPS)", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function withClient<T>(faults: string, devices: number, use: (client: ApiClient) => Promise<T>): Promise<T> {
    emulator = await startEmulator({ devices, seed: "pace", parts: 1, rateLimit: "off", faults, trickleMs: 50, clientSecret: CANARY });
    const client = await openApiClient({ env: emulatorEnv(emulator), budget: "off", retry: { baseDelayMs: 5, maxDelayMs: 20 } });
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }

  it("downloads a part that trickled once again, and gets every device", async () => {
    const sink = new RecordingSink();
    const result = await withClient("blob:trickle@1", 60, (client) => fetchViaFiles(client, sink, { partPace: PACE, retryDelayMs: () => 10, spoolDir: spool }));
    expect(result.failures).toEqual([]);
    expect(new Set(sink.keptIds("DeviceId")).size).toBe(60);
    expect(result.parts).toBeGreaterThan(1);
    expect(emulator?.requests().filter((r) => r.route === "blob")).toHaveLength(result.parts + 1);
  });

  it("reports every part that keeps trickling as a failure after its retries (the snapshot is then incomplete)", async () => {
    const sink = new RecordingSink();
    const started = Date.now();
    const result = await withClient("blob:trickle%100", 60, (client) =>
      fetchViaFiles(client, sink, { partPace: PACE, maxPartRetries: 1, retryDelayMs: () => 10, spoolDir: spool }),
    );
    const total = result.parts;
    expect(result.failures).toHaveLength(total);
    for (const [i, reason] of result.failures.entries()) {
      expect(reason).toMatch(new RegExp(`^part ${i + 1} of ${total} \\(.*\\): failed 2 times, last: part ${i + 1} of ${total}: the download is too slow`));
      expect(reason).not.toContain("sig=");
    }
    expect(sink.keptIds("DeviceId")).toEqual([]);
    expect(emulator?.requests().filter((r) => r.route === "blob")).toHaveLength(2 * total);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("ends a nextLink cycle (the cycle fault: page 2 links back to page 1) with API_BAD_RESPONSE", async () => {
    const error = await withClient("deviceavinfo:cycle%100", 10_001, (client) => failure(fetchViaJson(client, new RecordingSink())));
    expect([error.code, error.details.reason]).toEqual([ErrorCodes.API_BAD_RESPONSE, "its @odata.nextLink leads back to page 2 (a paging cycle)"]);
    // Page 1, page 2 (whose link leads back to the first page, as $skip=0), that first page again: its link is page 2.
    expect(emulator?.requests().filter((r) => r.route === "deviceavinfo").map((r) => r.path)).toEqual([
      "/api/deviceavinfo?$top=10000",
      "/api/deviceavinfo?$top=10000&$skip=10000",
      "/api/deviceavinfo?$top=10000&$skip=0",
    ]);
    expect(error.message).not.toContain(CANARY);
  });
});
