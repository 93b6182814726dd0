import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { ProgressEvent } from "../http/types";
import { readSnapshot } from "../snapshot";
import { fakeClient, type FakeOptions } from "../../test/methods/fake-client";
import { expectedSetDigest } from "../../test/snapshot/lines";
import { fetchSnapshot } from ".";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avh-fetch-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fast = { files: { sleep: async () => undefined, retryDelayMs: () => 0 } };
const NOW = () => new Date("2024-05-02T00:00:00Z");

async function take(fake: FakeOptions, method: "json" | "files" | "auto", name = method, extra = {}) {
  const client = fakeClient(fake);
  const events: ProgressEvent[] = [];
  const result = await fetchSnapshot({ client, method, outPath: join(dir, `${name}.ndjson.gz`), now: NOW, onProgress: (e) => events.push(e), ...fast, ...extra });
  const text = gunzipSync(readFileSync(result.path)).toString("utf8");
  // The device lines as a set (sorted): a schema-2 snapshot keeps no order.
  const lines = text.slice(text.indexOf("\n") + 1).split("\n").slice(0, -1).sort();
  expect(result.header.digest).toBe(expectedSetDigest(lines));
  return { client, result, events, deviceText: lines.join("\n") + "\n" };
}

describe("fetchSnapshot", () => {
  it("gives the same set of device lines and digest by the json and files methods", async () => {
    const json = await take({ devices: 300, parts: 4 }, "json");
    const files = await take({ devices: 300, parts: 4, blobFaults: { 2: "reset" } }, "files");
    expect(files.deviceText).toBe(json.deviceText);
    expect(files.result.header.digest).toBe(json.result.header.digest);
    expect(json.result.header).toMatchObject({ method: "json", complete: true, deviceCount: 300, generatedTime: null, fetchedAt: "2024-05-02T00:00:00.000Z" });
    expect(files.result.header).toMatchObject({ method: "files", complete: true, deviceCount: 300, generatedTime: "2024-05-01T22:01:00.000Z" });
    expect(files.result.header.source).toEqual({ apiUrl: "https://api.test", tenantId: "tenant-test", filter: null, methodReason: "method files was requested" });
    expect(json.result.summary.deviceCount).toBe(300);
    expect((await readSnapshot(files.result.path)).header).toEqual(files.result.header);
  });

  it("writes complete:false naming the lost part when a part fails every retry, and no SAS signature anywhere", async () => {
    const { result, deviceText } = await take({ devices: 40, parts: 4, alwaysBroken: 1 }, "files");
    expect(result.header.complete).toBe(false);
    expect(result.header.deviceCount).toBe(30);
    expect(result.header.incompleteReasons).toEqual([expect.stringMatching(/^part 2 of 4 \(https:\/\/blob\.test\/orig\/part-1\.json\.gz\?\[query redacted\]\): failed 4 times/)]);
    const whole = gunzipSync(readFileSync(result.path)).toString("utf8");
    expect(whole).not.toContain("SECRETSIG");
    expect(deviceText.split("\n")).toHaveLength(31);
  });

  it("reports progress: the method, pages with device counts, the export and each part", async () => {
    const { events } = await take({ devices: 25_000, parts: 2 }, "auto", "auto", { autoThreshold: 5_000 });
    expect(events.filter((e) => e.kind !== "part")).toEqual([
      { kind: "page", pages: 1, devices: 10_000 },
      { kind: "method", method: "files", reason: "auto: more than 5000 devices (10000 seen in 1 JSON pages), above the threshold: files" },
      { kind: "export-requested", parts: 2, generatedTime: "2024-05-01T22:01:00.000Z" },
    ]);
    expect(events.filter((e) => e.kind === "part").map((e) => (e.kind === "part" ? [e.partsDone, e.partsTotal] : []))).toEqual([[1, 2], [2, 2]]);
  });

  it("refuses a filter with the files method before any call", async () => {
    const client = fakeClient({ devices: 1 });
    await expect(fetchSnapshot({ client, method: "files", filter: "osKind eq 'mac'", outPath: join(dir, "x.gz") })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    expect(client.calls.export).toHaveLength(0);
  });

  it("leaves no file behind when the fetch fails", async () => {
    const client = fakeClient({ devices: 1 });
    const failing = { ...client, getJson: async () => Promise.reject(Object.assign(new Error("boom"), { code: "AUTH_FORBIDDEN" })) };
    const out = join(dir, "fail.ndjson.gz");
    await expect(fetchSnapshot({ client: failing, method: "json", outPath: out })).rejects.toThrow("boom");
    expect(() => readFileSync(out)).toThrow();
  });
});
