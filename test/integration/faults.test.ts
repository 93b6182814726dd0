/**
 * Every fault kind of the emulator spec, over HTTPS: the snapshot equals the fault-free one, or, where recovery
 * is impossible, the fetch ends complete:false with the reason or with a typed error code, never silently short.
 * A canary client secret and the SAS signatures never reach the snapshot, the progress events or the errors.
 */
import { isAvHealthError } from "../../src/errors";
import type { MethodChoice } from "../../src/fetch/types";
import { Harness, type Taken } from "./harness";

const CANARY = "canary-Secret-7f3a9d2e41b6";
const FLEET = { devices: 1_500, seed: "faults", parts: 2, clientSecret: CANARY };

let reference: { json: Taken; files: Taken };

beforeAll(async () => {
  const h = await Harness.start(FLEET);
  try {
    reference = { json: await h.take("ref-json", { method: "json" }), files: await h.take("ref-files", { method: "files" }) };
  } finally {
    await h.close();
  }
  expect(reference.files.deviceText).toBe(reference.json.deviceText);
});

async function withFaults(faults: string, method: MethodChoice, concurrency?: number): Promise<Taken> {
  const h = await Harness.start({ ...FLEET, faults });
  try {
    return await h.take(`fault-${method}`, { method, files: { retryDelayMs: () => 10, concurrency } });
  } finally {
    await h.close();
  }
}

function expectNoSecrets(taken: Taken): void {
  const everything = taken.fileBytes.toString("latin1") + taken.deviceText + JSON.stringify(taken.result) + JSON.stringify(taken.events);
  expect(everything).not.toContain(CANARY);
  expect(everything).not.toMatch(/sig=[^R&]/);
}

describe("recoverable faults give the fault-free snapshot", () => {
  it.each<[string, MethodChoice]>([
    ["token:500@1", "json"],
    ["deviceavinfo:429@1", "json"],
    ["deviceavinfo:502@1", "json"],
    ["deviceavinfo:reset@1", "json"],
    ["export:502@1", "files"],
    ["export:429@1", "files"],
    ["blob:reset@2", "files"],
    ["blob:truncate@1", "files"],
    ["blob:corrupt@1", "files"],
    ["blob:503@1", "files"],
    ["blob:expire@2", "files"],
    ["export:expire@1", "files"],
    ["export:empty@1", "files"],
    ["export:dup@1", "files"],
  ])("%s (%s)", async (faults, method) => {
    const taken = await withFaults(faults, method);
    expect(taken.result.header.complete).toBe(true);
    expect(taken.deviceText).toBe(reference.json.deviceText);
    expect(taken.result.header.digest).toBe(reference.json.result.header.digest);
    expect(taken.result.header.deviceCount).toBe(FLEET.devices);
    if (faults.includes("expire")) expect(taken.counts.export).toBe(2);
    if (faults.startsWith("blob:")) expect(taken.counts.blob).toBeGreaterThan(reference.files.counts.blob);
    expectNoSecrets(taken);
  });
});

describe("unrecoverable faults are never silently short", () => {
  it("a part that fails every retry makes the snapshot complete:false, naming the part", async () => {
    const taken = await withFaults("blob:truncate@1,blob:truncate@2,blob:truncate@3,blob:truncate@4", "files", 1);
    const { header } = taken.result;
    expect(header.complete).toBe(false);
    expect(header.incompleteReasons).toHaveLength(1);
    expect(header.incompleteReasons?.[0]).toMatch(/^part 1 of \d+ \(https:\/\/127\.0\.0\.1:\d+\/.*\?\[query redacted\]\): failed 4 times, last: /);
    expect(header.deviceCount).toBeGreaterThan(0);
    expect(header.deviceCount).toBeLessThan(FLEET.devices);
    expect(taken.counts.blob).toBe(reference.files.counts.blob + 3);
    expectNoSecrets(taken);
  });

  it("URLs that expire again after the one re-request make the snapshot complete:false", async () => {
    const taken = await withFaults("export:expire@1,export:expire@2", "files");
    expect(taken.result.header.complete).toBe(false);
    expect(taken.result.header.deviceCount).toBe(0);
    expect(taken.result.header.incompleteReasons?.every((r) => r.includes("expired again"))).toBe(true);
    expect(taken.counts.export).toBe(2);
    expectNoSecrets(taken);
  });

  it.each<[string, MethodChoice, string]>([
    ["token:500%100", "json", "HTTP_RETRIES_EXHAUSTED"],
    ["deviceavinfo:502%100", "json", "HTTP_RETRIES_EXHAUSTED"],
  ])("%s ends the %s fetch with %s and a secret-free message", async (faults, method, code) => {
    let thrown: unknown;
    await withFaults(faults, method).catch((error: unknown) => (thrown = error));
    expect(isAvHealthError(thrown) ? thrown.code : thrown).toBe(code);
    expect(String((thrown as Error).message)).not.toContain(CANARY);
  });
});
