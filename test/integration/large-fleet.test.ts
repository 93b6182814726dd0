/**
 * The 250,000-device fleet, once: the JSON method (with and without nextLink) and the files method give
 * the same set of device lines and digest, in at most ceil(N/10,000)+1 deviceavinfo calls.
 */
import { Harness, type Taken } from "./harness";

const DEVICES = 250_000;
const MAX_CALLS = Math.ceil(DEVICES / 10_000) + 1;

jest.setTimeout(15 * 60_000);

describe(`a fleet of ${DEVICES} devices`, () => {
  let json: Taken;
  let files: Taken;

  beforeAll(async () => {
    const h = await Harness.start({ devices: DEVICES, seed: "large", parts: 3 });
    try {
      json = await h.take("json", { method: "json", keepText: false });
      files = await h.take("files", { method: "files", keepText: false });
    } finally {
      await h.close();
    }
  });

  it("has every device, complete, by both methods", () => {
    expect(json.result.header).toMatchObject({ method: "json", complete: true, deviceCount: DEVICES });
    expect(files.result.header).toMatchObject({ method: "files", complete: true, deviceCount: DEVICES });
    expect(files.result.summary).toEqual(json.result.summary);
  });

  it("gives the same set of device lines and digest", () => {
    expect(files.result.header.digest).toBe(json.result.header.digest);
    expect(files.deviceDigest).toBe(json.deviceDigest);
    expect(json.deviceDigest).toBe(json.result.header.digest);
  });

  it(`pages JSON in at most ${MAX_CALLS} calls and uses none for files`, () => {
    expect(json.counts.deviceavinfo).toBeGreaterThanOrEqual(25);
    expect(json.counts.deviceavinfo).toBeLessThanOrEqual(MAX_CALLS);
    expect(files.counts.deviceavinfo).toBe(0);
    expect(files.counts.export).toBe(1);
  });

  it("gives the same snapshot when the API sends no nextLink", async () => {
    const h = await Harness.start({ devices: DEVICES, seed: "large", parts: 3, nextLink: false });
    try {
      const skip = await h.take("skip", { method: "json", keepText: false });
      expect(skip.result.header.digest).toBe(json.result.header.digest);
      expect(skip.counts.deviceavinfo).toBeLessThanOrEqual(MAX_CALLS);
    } finally {
      await h.close();
    }
  });
});
