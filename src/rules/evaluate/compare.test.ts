import { parseBaseline } from "../../baseline/load";
import type { NormalizedDevice } from "../../model/device";
import type { SnapshotHeader } from "../../snapshot/types";
import { loadRuleText } from "../load/load";
import { defaultMachineId, makeDevice, streamOf, TEST_NOW } from "../testing/make-device";
import { evaluate } from "./evaluate";
import { serializeReport, serializeReportChunks } from "./report";

const RULES = `version: 1
scopes:
  servers: { osPlatform: { glob: "WindowsServer*" } }
rules:
  - id: signatures
    description: Signatures current
    enforcement: mandatory
    require: { avIsSignatureUpToDate: true }
    threshold: { minPercent: 50 }
    regression: { maxPercentDrop: 2 }
  - id: server-platform
    description: Server platform
    enforcement: mandatory
    scope: servers
    require: { avPlatformVersion: { gte: "4.18.2206.108" } }
    regression: { ratchet: true }
  - id: brand-new
    description: Not in the baseline
    require: { avMode: active }
  - id: was-indeterminate
    description: Indeterminate in the baseline
    require: { avMode: active }
  - id: off
    description: Disabled now
    enforcement: disabled
    require: { avMode: active }
exceptions:
  - { rule: signatures, devices: [waived.contoso.com], reason: Known, expires: 2026-12-31 }
`;

const id = defaultMachineId;
const GONE = "f".repeat(40);

/** a: fixed; b: still failing; c: newly failing; waived: waived now; d: never failed; srv: no longer a server (left); srv2: still failing. */
function fleet(): NormalizedDevice[] {
  return [
    makeDevice({ computerDnsName: "a.contoso.com", avIsSignatureUpToDate: true }, { index: 1 }),
    makeDevice({ computerDnsName: "b.contoso.com", avIsSignatureUpToDate: false }, { index: 2 }),
    makeDevice({ computerDnsName: "c.contoso.com", avIsSignatureUpToDate: false }, { index: 3 }),
    makeDevice({ computerDnsName: "waived.contoso.com", avIsSignatureUpToDate: false }, { index: 4 }),
    makeDevice({ computerDnsName: "d.contoso.com" }, { index: 5 }),
    makeDevice({ computerDnsName: "srv.contoso.com", osPlatform: "Windows11" }, { index: 6 }),
    makeDevice({ computerDnsName: "srv2.contoso.com", osPlatform: "WindowsServer2022", avPlatformVersion: "4.18.2206.11" }, { index: 7 }),
  ];
}

function header(tenantId: string | null | undefined): SnapshotHeader {
  return {
    kind: "avhealth-snapshot",
    schemaVersion: 1,
    method: "json",
    complete: true,
    deviceCount: 7,
    generatedTime: null,
    fetchedAt: "2026-01-15T07:00:00Z",
    source: tenantId === undefined ? { apiUrl: null, filter: null } : { apiUrl: null, tenantId, filter: null },
    digest: "sha256:now",
  };
}

const failing = (machineId: string, computerDnsName: string) => ({ machineId, computerDnsName, outcome: "fail", reason: "was failing" });

function baselineText(tenantId: string | null, schemaVersion = 2): string {
  return JSON.stringify({
    kind: "avhealth-report",
    schemaVersion,
    evaluatedAt: "2026-01-08T12:00:00.000Z",
    gate: "fail",
    snapshot: { digest: "sha256:before", method: "json", complete: true, deviceCount: 8, generatedTime: null, ...(schemaVersion === 2 ? { tenantId } : {}) },
    rules: [
      {
        id: "signatures",
        status: "pass",
        percent: 70,
        failingDevices: [
          failing(id(1), "a.contoso.com"),
          failing(id(2), "b.contoso.com"),
          failing(id(4), "waived.contoso.com"),
          failing(GONE, "gone.contoso.com"),
        ],
      },
      { id: "server-platform", status: "fail", percent: 0, failingDevices: [failing(id(7), "srv2.contoso.com"), failing(id(6), "srv.contoso.com")] },
      { id: "was-indeterminate", status: "indeterminate", percent: 100, failingDevices: [] },
      { id: "off", status: "pass", percent: 100, failingDevices: [] },
      { id: "only-in-baseline", status: "fail", percent: 10, failingDevices: [failing(id(5), "d.contoso.com")] },
    ],
    exceptions: [],
  });
}

const rules = loadRuleText(RULES, "rules.yaml");
const names = (list: ReadonlyArray<{ computerDnsName: string | null }>) => list.map((d) => d.computerDnsName);

describe("evaluate with a baseline", () => {
  it("compares each rule by hand-computed figures and applies regression", async () => {
    const baseline = parseBaseline(baselineText("tenant-1"), "before.json");
    const { report } = await evaluate(rules, { header: header("tenant-1"), devices: streamOf(fleet()) }, TEST_NOW, { baseline });
    const [signatures, server, brandNew, wasIndeterminate, off] = report.rules;

    // signatures: counted 6 (a, d, srv, srv2 pass; b, c fail; waived excluded), passing 4 → 66.67%, v1 pass (≥ 50);
    // 200/3 − 70 = −10/3 < −2 → regressed, fails.
    expect(signatures?.counts).toMatchObject({ counted: 6, passing: 4, waived: 1 });
    expect(signatures?.status).toBe("fail");
    expect(signatures?.comparison).toMatchObject({ baselineStatus: "pass", baselinePercent: 70, regressed: true, ratcheted: false });
    expect(signatures?.comparison?.percentDelta).toBeCloseTo(-10 / 3, 10);
    expect(names(signatures?.comparison?.newlyFailing ?? [])).toEqual(["c.contoso.com"]);
    expect(signatures?.comparison?.newlyFailing[0]).toMatchObject({ machineId: id(3), outcome: "fail", reason: "avIsSignatureUpToDate is false, expected true" });
    expect(names(signatures?.comparison?.fixed ?? [])).toEqual(["a.contoso.com"]);
    expect(names(signatures?.comparison?.waived ?? [])).toEqual(["waived.contoso.com"]);
    expect(names(signatures?.comparison?.left ?? [])).toEqual(["gone.contoso.com"]);
    expect(signatures?.baselineNote).toBe("regressed since the baseline: percent −3.33 points (allowed drop 2), 1 device newly failing");

    // server-platform: only srv2 in scope now, failing → 0%, v1 fail; delta 0, nobody new → ratcheted pass; srv left the scope.
    expect(server).toMatchObject({ status: "pass", percent: 0 });
    expect(server?.comparison).toMatchObject({ baselineStatus: "fail", percentDelta: 0, regressed: false, ratcheted: true, newlyFailing: [], fixed: [], waived: [] });
    expect(names(server?.comparison?.left ?? [])).toEqual(["srv.contoso.com"]);

    expect(brandNew).toMatchObject({ comparison: null, baselineNote: "no baseline: the rule is not in the baseline" });
    expect(wasIndeterminate).toMatchObject({ comparison: null, baselineNote: "not compared: the rule was indeterminate in the baseline" });
    expect(off).toMatchObject({ status: "disabled", comparison: null, baselineNote: "not compared: the rule is disabled" });
    expect(report.gate).toBe("fail");
    expect(report.baseline).toEqual({ file: "before.json", evaluatedAt: "2026-01-08T12:00:00.000Z", snapshotDigest: "sha256:before" });
    expect(report.snapshot.tenantId).toBe("tenant-1");
  });

  it("compares nothing with a baseline of another tenant, and changes no status", async () => {
    const baseline = parseBaseline(baselineText("tenant-2"), "before.json");
    const { report } = await evaluate(rules, { header: header("tenant-1"), devices: streamOf(fleet()) }, TEST_NOW, { baseline });
    expect(report.rules.map((r) => r.comparison)).toEqual([null, null, null, null, null]);
    expect(report.rules.map((r) => r.status)).toEqual(["pass", "fail", "pass", "pass", "disabled"]);
    expect(report.rules[0]?.baselineNote).toBe("no baseline: the baseline is of another tenant; regression changed nothing");
    expect(report.rules[2]?.baselineNote).toBe("no baseline: the baseline is of another tenant");
  });

  it("compares a version 1 baseline (no tenant) with a snapshot that names one", async () => {
    const baseline = parseBaseline(baselineText(null, 1), "v1.json");
    const { report } = await evaluate(rules, { header: header("tenant-1"), devices: streamOf(fleet()) }, TEST_NOW, { baseline });
    expect(report.rules[0]?.comparison?.percentDelta).toBeCloseTo(-10 / 3, 10);
    expect(report.rules[0]?.status).toBe("fail");
  });

  it("makes every rule indeterminate on an incomplete snapshot, with no comparison", async () => {
    const baseline = parseBaseline(baselineText("tenant-1"), "before.json");
    const incomplete = { ...header("tenant-1"), complete: false, incompleteReasons: ["lost a part"] };
    const { report } = await evaluate(rules, { header: incomplete, devices: streamOf(fleet()) }, TEST_NOW, { baseline });
    expect(report.rules[0]).toMatchObject({ status: "indeterminate", comparison: null, baselineNote: "not compared: the rule is indeterminate now; regression changed nothing" });
  });

  it("without a baseline, says so only for rules that have a regression key", async () => {
    const { report } = await evaluate(rules, { header: header(undefined), devices: streamOf(fleet()) }, TEST_NOW);
    expect(report.rules.map((r) => r.baselineNote)).toEqual(["no baseline given; regression changed nothing", "no baseline given; regression changed nothing", null, null, null]);
    expect(report.rules.map((r) => r.status)).toEqual(["pass", "fail", "pass", "pass", "disabled"]);
    expect(report.snapshot.tenantId).toBeNull();
  });

  it("serializes the comparison byte-stably, keys in order", async () => {
    const run = async () => {
      const baseline = parseBaseline(baselineText("tenant-1"), "before.json");
      return serializeReport((await evaluate(rules, { header: header("tenant-1"), devices: streamOf(fleet()) }, TEST_NOW, { baseline })).report);
    };
    const first = await run();
    expect(await run()).toBe(first);
    const baseline = parseBaseline(baselineText("tenant-1"), "before.json");
    const { report } = await evaluate(rules, { header: header("tenant-1"), devices: streamOf(fleet()) }, TEST_NOW, { baseline });
    expect([...serializeReportChunks(report)].join("")).toBe(first);
    const parsed = JSON.parse(first) as { rules: Array<{ comparison: Record<string, unknown> | null }> };
    expect(Object.keys(parsed.rules[0]?.comparison ?? {})).toEqual([
      "baselineStatus",
      "baselinePercent",
      "percentDelta",
      "regressed",
      "ratcheted",
      "newlyFailing",
      "fixed",
      "waived",
      "left",
    ]);
  });
});
