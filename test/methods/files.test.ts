import { fetchViaFiles, clampSasValidHours, type FilesOptions } from "../../src/methods";
import { deviceId, fakeClient, type FakeOptions } from "./fake-client";
import { RecordingSink } from "./record-sink";

const N = 40;
const allIds = Array.from({ length: N }, (_, i) => deviceId(i)).sort();
const fast: FilesOptions = { sleep: async () => undefined, retryDelayMs: () => 0 };

async function run(options: Partial<FakeOptions>, files: FilesOptions = {}) {
  const client = fakeClient({ devices: N, parts: 4, ...options });
  const sink = new RecordingSink();
  const result = await fetchViaFiles(client, sink, { ...fast, ...files });
  return { client, sink, result };
}

describe("files method", () => {
  it("reads every part, asks for sasValidHours=6 and reports the generated time", async () => {
    const { client, sink, result } = await run({});
    expect(sink.keptIds("DeviceId")).toEqual(allIds);
    expect(client.calls.export).toEqual(["/api/machines/InfoGatheringExport?sasValidHours=6"]);
    expect(client.calls.blob).toHaveLength(4);
    expect(result).toEqual({ generatedTime: "2024-05-01T22:01:00.000Z", parts: 4, failures: [], reRequested: false });
  });

  it.each<[number, number]>([[24, 6], [0, 1], [3.4, 3], [Number.NaN, 6]])("clamps sasValidHours %d to %d", (asked, sent) => {
    expect(clampSasValidHours(asked)).toBe(sent);
  });

  it.each(["reset", "truncate", "corrupt", "status", "empty", "bom-crlf"] as const)(
    "recovers from a %s part with every device exactly once",
    async (fault) => {
      const { client, sink, result } = await run({ blobFaults: { 2: fault } });
      expect(sink.keptIds("DeviceId")).toEqual(allIds);
      expect(result.failures).toEqual([]);
      expect(client.calls.blob).toHaveLength(fault === "bom-crlf" ? 4 : 5);
    },
  );

  it("discards the partial records of a broken attempt", async () => {
    const { sink } = await run({ devices: 400, blobFaults: { 1: "truncate" } }, { concurrency: 1 });
    const firstAttempt = sink.batches.get(1) ?? [];
    expect(firstAttempt.length).toBeGreaterThan(0);
    expect(firstAttempt.length).toBeLessThan(100);
    expect(sink.discarded.has(1)).toBe(true);
    expect(sink.keptIds("DeviceId")).toHaveLength(400);
  });

  it("re-requests the export once when a SAS URL has expired and continues with the fresh URLs", async () => {
    const { client, sink, result } = await run({ blobFaults: { 2: "expired" } });
    expect(sink.keptIds("DeviceId")).toEqual(allIds);
    expect(client.calls.export).toHaveLength(2);
    expect(result.reRequested).toBe(true);
    expect(client.calls.blob.filter((u) => u.includes("sig=SECRETSIG2")).length).toBeGreaterThan(0);
  });

  it("gives up on a URL that expires again after the re-request, naming the part", async () => {
    const { client, result } = await run({ blobFaults: { 1: "expired", 5: "expired" } }, { concurrency: 1 });
    expect(client.calls.export).toHaveLength(2);
    expect(result.failures).toEqual([expect.stringMatching(/^part 4 of 4 \(https:\/\/blob\.test\/orig\/part-3\.json\.gz\?\[query redacted\]\): its download URL expired again/)]);
  });

  it("starts over when the re-requested export has other parts", async () => {
    const { client, sink, result } = await run({ blobFaults: { 3: "expired" }, regenerate: true }, { concurrency: 1 });
    expect(sink.keptIds("DeviceId")).toEqual(allIds);
    expect(client.calls.blob.filter((u) => u.includes("/regen/"))).toHaveLength(4);
    expect(result.failures).toEqual([]);
  });

  it("reports a part that fails every retry, without its SAS signature, and keeps the other parts", async () => {
    const { client, sink, result } = await run({ alwaysBroken: 2 });
    expect(client.calls.blob.filter((u) => u.includes("part-2"))).toHaveLength(4);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(/^part 3 of 4 .*failed 4 times, last: /);
    expect(result.failures[0]).not.toContain("SECRETSIG");
    expect(sink.keptIds("DeviceId")).toEqual(allIds.filter((id) => partOf(id) !== 2));
  });

  it("treats a listing without parts as an empty fleet", async () => {
    const { sink, result } = await run({ devices: 0, parts: 0 });
    expect(sink.keptIds("DeviceId")).toEqual([]);
    expect(result.failures).toEqual([]);
  });
});

/** The fake puts the i-th generated device into part i % 4. */
function partOf(id: string): number {
  const order = Array.from({ length: N }, (_, i) => deviceId((i * 7919) % N));
  return order.indexOf(id) % 4;
}
