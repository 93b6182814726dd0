import { fetchAuto, type AutoOptions } from "../../src/methods";
import { deviceId, fakeClient, type FakeOptions } from "./fake-client";
import { RecordingSink } from "./record-sink";

const fast: AutoOptions = { sleep: async () => undefined, retryDelayMs: () => 0 };

async function run(fake: FakeOptions, options: AutoOptions = {}) {
  const client = fakeClient(fake);
  const sink = new RecordingSink();
  const outcome = await fetchAuto(client, sink, { ...fast, ...options });
  return { client, sink, outcome };
}

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => deviceId(i)).sort();

describe("auto method choice", () => {
  it("uses the JSON pages of a fleet at most the threshold, asking once past it, without requesting the export", async () => {
    const { client, sink, outcome } = await run({ devices: 15_000 }, { threshold: 100_000 });
    expect(outcome).toEqual({ method: "json", reason: "auto: the fleet has 15000 devices (threshold 100000), read in 2 JSON pages" });
    expect(client.calls.deviceavinfo).toEqual(["/api/deviceavinfo?$top=10000", "/api/deviceavinfo?$top=1&$skip=100000", "/api/deviceavinfo?$top=10000&$skip=10000"]);
    expect(client.calls.export).toHaveLength(0);
    expect(sink.keptIds("machineId")).toEqual(ids(15_000));
  });

  it("reads a fleet of one short page in one call", async () => {
    const { client, outcome } = await run({ devices: 9_999 }, { threshold: 100_000 });
    expect(outcome.method).toBe("json");
    expect(client.calls.deviceavinfo).toHaveLength(1);
  });

  it("switches to files on a fleet past the threshold after one page and one size call, not T/10000 pages", async () => {
    const { client, sink, outcome } = await run({ devices: 100_001, parts: 2 }, { threshold: 100_000 });
    expect(outcome.method).toBe("files");
    expect(outcome.reason).toBe("auto: more than 100000 devices (the API has a device past the first 100000), above the threshold: files");
    expect(client.calls.deviceavinfo).toEqual(["/api/deviceavinfo?$top=10000", "/api/deviceavinfo?$top=1&$skip=100000"]);
    expect(client.calls.export).toHaveLength(1);
    expect(sink.keptIds("DeviceId")).toEqual(ids(100_001));
  });

  it("stays with JSON on a fleet of exactly the threshold", async () => {
    const { client, outcome } = await run({ devices: 20_000 }, { threshold: 20_000 });
    // Without nextLink, $skip paging ends on an empty third page.
    expect(outcome).toEqual({ method: "json", reason: "auto: the fleet has 20000 devices (threshold 20000), read in 3 JSON pages" });
    expect(client.calls.deviceavinfo).toHaveLength(4);
    expect(client.calls.export).toHaveLength(0);
  });

  it("switches to files above the threshold, discarding the probe pages", async () => {
    const { client, sink, outcome } = await run({ devices: 25_000, parts: 3 }, { threshold: 5_000 });
    expect(outcome.method).toBe("files");
    expect(outcome.reason).toBe("auto: more than 5000 devices (10000 seen in 1 JSON pages), above the threshold: files");
    expect(client.calls.deviceavinfo).toHaveLength(1);
    expect(client.calls.export).toHaveLength(1);
    expect(sink.keptIds("DeviceId")).toEqual(ids(25_000));
    expect(sink.keptIds("machineId").filter((id) => id !== "undefined")).toEqual([]);
  });

  it.each<[403 | 404, string]>([
    [403, "403 (the app lacks Vulnerability.Read.All)"],
    [404, "404 (no export on this API host)"],
  ])("falls back to JSON when the export answers %i, keeping the probe pages", async (status, why) => {
    const { client, sink, outcome } = await run({ devices: 25_000, exportStatus: status }, { threshold: 5_000 });
    expect(outcome).toEqual({ method: "json", reason: `auto: more than 5000 devices (10000 seen in 1 JSON pages), but the export answered ${why}; fell back to json` });
    expect(client.calls.deviceavinfo).toHaveLength(3);
    expect(sink.keptIds("machineId")).toEqual(ids(25_000));
  });

  it("uses JSON when a filter is given", async () => {
    const { client, outcome } = await run({ devices: 25_000 }, { threshold: 5_000, filter: "osKind eq 'windows'" });
    expect(outcome.method).toBe("json");
    expect(client.calls.export).toHaveLength(0);
  });

  it("makes at most two JSON calls before requesting the export", async () => {
    const { client, outcome } = await run({ devices: 45_000, parts: 2 }, { threshold: 20_000 });
    expect(outcome.method).toBe("files");
    expect(client.calls.deviceavinfo).toHaveLength(2);
  });
});
