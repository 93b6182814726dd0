import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { isAvHealthError } from "../errors";
import { loadBaseline, parseBaseline } from "./load";

const REPORT = {
  kind: "avhealth-report",
  schemaVersion: 2,
  evaluatedAt: "2026-01-08T12:00:00.000Z",
  gate: "pass",
  snapshot: { digest: "sha256:before", method: "json", complete: true, deviceCount: 3, generatedTime: null, tenantId: "t-1" },
  rules: [
    {
      id: "a",
      status: "fail",
      percent: 33.33,
      failingDevices: [
        { machineId: "m1", computerDnsName: "one", outcome: "fail", reason: "x" },
        { machineId: "m2", computerDnsName: null, outcome: "unknown", reason: "y" },
      ],
    },
    { id: "b", status: "pass", percent: 66.67, failingDevices: [{ machineId: "m1", computerDnsName: "one", outcome: "fail", reason: "x" }] },
  ],
  exceptions: [],
};

function codeOf(run: () => unknown): { code: string; message: string; file: unknown } {
  try {
    run();
  } catch (error) {
    if (isAvHealthError(error)) return { code: error.code, message: error.message, file: error.details.file };
    throw error;
  }
  throw new Error("expected an error");
}

describe("parseBaseline", () => {
  it("keeps each failing device once, the rules' statuses and percents, and the tenant", () => {
    const baseline = parseBaseline(JSON.stringify(REPORT), "before.json");
    expect(baseline.devices).toEqual([
      { machineId: "m1", computerDnsName: "one" },
      { machineId: "m2", computerDnsName: null },
    ]);
    expect([...(baseline.rules.get("a")?.failing ?? [])]).toEqual([0, 1]);
    expect([...(baseline.rules.get("b")?.failing ?? [])]).toEqual([0]);
    expect(baseline.rules.get("b")).toMatchObject({ status: "pass", percent: 66.67 });
    expect(baseline.tenantId).toBe("t-1");
    expect(baseline.info).toEqual({ file: "before.json", evaluatedAt: "2026-01-08T12:00:00.000Z", snapshotDigest: "sha256:before" });
  });

  it("accepts a version 1 report (no tenant)", () => {
    const v1 = { ...REPORT, schemaVersion: 1, snapshot: { digest: "sha256:old", method: "json", complete: true, deviceCount: 3, generatedTime: null } };
    const baseline = parseBaseline(JSON.stringify(v1), "v1.json");
    expect(baseline.tenantId).toBeNull();
    expect(baseline.rules.size).toBe(2);
  });

  it.each([
    ["not JSON", "{ nope", "baseline b.json is not JSON"],
    ["a JSON array", "[]", "baseline b.json is not an avhealth report"],
    ["another kind", JSON.stringify({ ...REPORT, kind: "avhealth-snapshot" }), "baseline b.json is not an avhealth report"],
    ["a newer schema version", JSON.stringify({ ...REPORT, schemaVersion: 3, rules: "changed shape" }), "baseline b.json is report schema version 3; this avhealth reads versions 1 to 2"],
    ["schema version 0", JSON.stringify({ ...REPORT, schemaVersion: 0 }), "baseline b.json is not a valid avhealth report at /schemaVersion"],
    ["a rule without failingDevices", JSON.stringify({ ...REPORT, rules: [{ id: "a", status: "fail", percent: 1 }] }), "baseline b.json is not a valid avhealth report at /rules/0"],
    ["a device without machineId", JSON.stringify({ ...REPORT, rules: [{ id: "a", status: "fail", percent: 1, failingDevices: [{}] }] }), "at /rules/0/failingDevices/0"],
  ])("%s is BASELINE_INVALID naming the file", (_name, text, message) => {
    const error = codeOf(() => parseBaseline(text, "b.json"));
    expect(error.code).toBe("BASELINE_INVALID");
    expect(error.file).toBe("b.json");
    expect(error.message).toContain(message);
  });
});

describe("loadBaseline", () => {
  it("names a missing file", async () => {
    const missing = path.join(os.tmpdir(), "avhealth-no-such-baseline.json");
    await expect(loadBaseline(missing, "no-such.json")).rejects.toMatchObject({
      code: "BASELINE_INVALID",
      message: expect.stringContaining("baseline no-such.json does not exist") as unknown,
    });
  });

  it("reads a file", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-baseline-"));
    const file = path.join(dir, "avhealth-report.json");
    await fs.writeFile(file, JSON.stringify(REPORT));
    const baseline = await loadBaseline(file);
    expect(baseline.info.file).toBe(file);
    expect(baseline.devices).toHaveLength(2);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
