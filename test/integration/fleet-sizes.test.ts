/**
 * Fleets of 0, 1 and 10,001 devices from the real emulator over HTTPS: both methods give the same set of device
 * lines and digest, the JSON call count stays within ceil(N/10,000)+1, paging without nextLink gives the same,
 * and auto picks json/files around its threshold and falls back to json without Vulnerability.Read.All.
 */
import { Harness } from "./harness";

describe.each([0, 1, 10_001])("a fleet of %i devices", (devices) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ devices, seed: "sizes", parts: 2 });
  });
  afterAll(() => h.close());

  it("gives the same set of device lines and digest by json and files, within the JSON call limit", async () => {
    const json = await h.take("json", { method: "json" });
    const files = await h.take("files", { method: "files" });
    expect(json.result.header.deviceCount).toBe(devices);
    expect(files.deviceText).toBe(json.deviceText);
    expect(files.result.header.digest).toBe(json.result.header.digest);
    expect(files.deviceDigest).toBe(files.result.header.digest);
    expect(json.result.header.complete && files.result.header.complete).toBe(true);
    expect(json.counts.deviceavinfo).toBeGreaterThanOrEqual(1);
    expect(json.counts.deviceavinfo).toBeLessThanOrEqual(Math.ceil(devices / 10_000) + 1);
    expect(files.counts.deviceavinfo).toBe(0);
    expect(files.counts.export).toBe(1);
    expect(json.result.summary).toEqual(files.result.summary);
    expect(json.result.normalizationWarnings).toBe(0);
    expect(json.result.header.source.tenantId).toBe(h.emulator.tenantId);
    expect(files.result.header.source.tenantId).toBe(h.emulator.tenantId);
  });

  it("gives the same snapshot when the API sends no nextLink", async () => {
    const plain = await Harness.start({ devices, seed: "sizes", parts: 2, nextLink: false });
    try {
      const withLinks = await h.take("links", { method: "json" });
      const skip = await plain.take("skip", { method: "json" });
      expect(skip.deviceText).toBe(withLinks.deviceText);
      expect(skip.counts.deviceavinfo).toBeLessThanOrEqual(Math.ceil(devices / 10_000) + 1);
    } finally {
      await plain.close();
    }
  });

  it("auto: json at or below the threshold, files above it", async () => {
    const below = await h.take("auto-below", { method: "auto", autoThreshold: 100_000 });
    expect(below.result.header.method).toBe("json");
    expect(below.counts.export).toBe(0);
    const above = await h.take("auto-above", { method: "auto", autoThreshold: 5_000 });
    expect(above.result.header.method).toBe(devices > 10_000 ? "files" : "json");
    expect(above.result.header.source.methodReason).toMatch(/^auto: /);
    expect(above.deviceText).toBe(below.deviceText);
    expect(above.counts.deviceavinfo).toBeLessThanOrEqual(Math.ceil(devices / 10_000) + 1);
  });
});

describe("auto without Vulnerability.Read.All", () => {
  it("falls back to json when the export answers 403, with the reason in the header", async () => {
    const h = await Harness.start({ devices: 10_001, seed: "sizes", parts: 2, roles: ["Machine.Read.All"] });
    try {
      const auto = await h.take("auto-403", { method: "auto", autoThreshold: 5_000 });
      expect(auto.result.header.method).toBe("json");
      expect(auto.result.header.deviceCount).toBe(10_001);
      expect(auto.result.header.source.methodReason).toMatch(/export answered 403 \(the app lacks Vulnerability\.Read\.All\); fell back to json$/);
      expect(auto.counts.deviceavinfo).toBeLessThanOrEqual(3);
      await expect(h.take("files-403", { method: "files" })).rejects.toMatchObject({ code: "AUTH_FORBIDDEN" });
    } finally {
      await h.close();
    }
  });
});
