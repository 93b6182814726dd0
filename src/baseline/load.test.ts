import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
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

  describe("a gzip-compressed report", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-baseline-gz-"));
    });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    /** A report big enough to span many chunks of the decompressing thread: 40,000 devices over 2 rules. */
    function bigReport(): typeof REPORT {
      const devices = Array.from({ length: 40_000 }, (_, i) => ({ machineId: `m${i}`, computerDnsName: i % 5 === 0 ? null : `host-${i}.contoso.com`, outcome: "fail", reason: "x" }));
      return { ...REPORT, rules: [{ ...REPORT.rules[0], failingDevices: devices } as (typeof REPORT.rules)[0], { ...REPORT.rules[1], failingDevices: devices.slice(0, 7) } as (typeof REPORT.rules)[0]] };
    }

    async function both(report: unknown): Promise<{ plain: string; gz: string }> {
      const text = JSON.stringify(report, null, 2);
      const plain = path.join(dir, "avhealth-report.json");
      // Named without .gz on purpose: the content decides, not the name.
      const gz = path.join(dir, "compressed-report");
      await fs.writeFile(plain, text);
      await fs.writeFile(gz, gzipSync(text));
      return { plain, gz };
    }

    it("reads to the same baseline as the plain report, whatever the file is called", async () => {
      const { plain, gz } = await both(bigReport());
      const fromPlain = await loadBaseline(plain, "same.json");
      const fromGz = await loadBaseline(gz, "same.json");
      expect(fromGz.devices).toHaveLength(40_000);
      expect(fromGz.devices).toEqual(fromPlain.devices);
      expect(fromGz.machineIds).toEqual(fromPlain.machineIds);
      expect(fromGz.machineIds.map((id) => fromGz.deviceIndex.get(id))).toEqual(fromPlain.machineIds.map((_, i) => i));
      expect([...fromGz.rules.keys()]).toEqual(["a", "b"]);
      for (const id of ["a", "b"]) {
        const a = fromGz.rules.get(id);
        const b = fromPlain.rules.get(id);
        expect({ ...a, failing: [...(a?.failing ?? [])] }).toEqual({ ...b, failing: [...(b?.failing ?? [])] });
      }
      expect(fromGz.info).toEqual(fromPlain.info);
      expect(fromGz.tenantId).toBe("t-1");
    });

    it.each([
      ["truncated", (gz: Buffer) => gz.subarray(0, Math.floor(gz.length / 2)), "is a damaged gzip file (unexpected end of file)"],
      ["with its last 4 bytes cut (the length check)", (gz: Buffer) => gz.subarray(0, gz.length - 4), "is a damaged gzip file"],
      ["with a corrupted checksum", (gz: Buffer) => Buffer.concat([gz.subarray(0, gz.length - 8), Buffer.from([0, 0, 0, 0]), gz.subarray(gz.length - 4)]), "is a damaged gzip file (incorrect data check)"],
      ["only the magic bytes", () => Buffer.from([0x1f, 0x8b]), "is a damaged gzip file"],
    ])("%s is BASELINE_INVALID naming the file", async (_name, damage, message) => {
      const { gz } = await both(bigReport());
      await fs.writeFile(gz, damage(await fs.readFile(gz)));
      await expect(loadBaseline(gz, "old.json.gz")).rejects.toMatchObject({
        code: "BASELINE_INVALID",
        details: { file: "old.json.gz" },
        message: expect.stringContaining(`baseline old.json.gz ${message}`) as unknown,
      });
    });

    it("a gzip file that holds no avhealth report is BASELINE_INVALID as a plain one is", async () => {
      const gz = path.join(dir, "other.json.gz");
      await fs.writeFile(gz, gzipSync('{"kind": "something-else"}'));
      await expect(loadBaseline(gz, "other.json.gz")).rejects.toMatchObject({ code: "BASELINE_INVALID", message: expect.stringContaining("is not an avhealth report") as unknown });
      await fs.writeFile(gz, gzipSync("{ nope"));
      await expect(loadBaseline(gz, "other.json.gz")).rejects.toMatchObject({ code: "BASELINE_INVALID", message: expect.stringContaining("is not JSON") as unknown });
    });
  });
});
