import type { NormalizedDevice } from "../../model/device";
import type { SnapshotHeader } from "../../snapshot/types";
import { loadRuleText } from "../load/load";
import { makeDevice, streamOf, TEST_NOW } from "../testing/make-device";
import { evaluate } from "./evaluate";
import { serializeReport } from "./report";

const RULES = `version: 1
scopes:
  servers: { osPlatform: { glob: "WindowsServer*" } }
rules:
  - id: signatures
    description: Signatures current
    enforcement: mandatory
    require: { avIsSignatureUpToDate: true }
    threshold: { minPercent: 50 }
  - id: server-platform
    description: Server platform
    scope: servers
    require: { avPlatformVersion: { gte: "4.18.2206.108" } }
  - id: off
    description: Not evaluated
    enforcement: disabled
    require: { avMode: active }
exceptions:
  - { rule: signatures, devices: [WAIVED.contoso.com], reason: Known, expires: 2026-01-15 }
`;

function header(count: number, complete = true): SnapshotHeader {
  return {
    kind: "avhealth-snapshot",
    schemaVersion: 1,
    method: "files",
    complete,
    deviceCount: count,
    generatedTime: "2026-01-15T06:00:00Z",
    fetchedAt: "2026-01-15T07:00:00Z",
    source: { apiUrl: null, filter: null },
    digest: "sha256:abc",
  };
}

function fleet(): NormalizedDevice[] {
  return [
    makeDevice({ computerDnsName: "b.contoso.com", avIsSignatureUpToDate: false, rbacGroupName: "Prod" }, { index: 1 }),
    makeDevice({ computerDnsName: null, avIsSignatureUpToDate: false, rbacGroupName: null }, { index: 2 }),
    makeDevice({ computerDnsName: "a.contoso.com", avIsSignatureUpToDate: null, rbacGroupName: "Prod" }, { index: 3 }),
    makeDevice({ computerDnsName: "waived.contoso.com", avIsSignatureUpToDate: false }, { index: 4 }),
    makeDevice({ osPlatform: "WindowsServer2022", avPlatformVersion: "4.18.2206.11", computerDnsName: "srv.contoso.com" }, { index: 5 }),
    makeDevice({ computerDnsName: "stale.contoso.com", dataRefreshTimestamp: null, lastSeenTime: "2026-01-01T00:00:00Z" }, { index: 6 }),
    makeDevice({ computerDnsName: "ghost.contoso.com", dataRefreshTimestamp: null, lastSeenTime: null }, { index: 7 }),
  ];
}

describe("evaluate", () => {
  const rules = loadRuleText(RULES, "rules.yaml");

  it("reads the fleet once for all rules", async () => {
    let opened = 0;
    const devices = fleet();
    const once: AsyncIterable<NormalizedDevice> = {
      [Symbol.asyncIterator]() {
        opened++;
        return streamOf(devices)[Symbol.asyncIterator]();
      },
    };
    await evaluate(rules, { header: header(7), devices: once }, TEST_NOW);
    expect(opened).toBe(1);
  });

  it("counts, sorts failing devices and explains each one", async () => {
    const { report, rbacGroups, ruleLocations } = await evaluate(rules, { header: header(7), devices: streamOf(fleet()) }, TEST_NOW);
    const [signatures, platform, off] = report.rules;
    expect(signatures?.counts).toEqual({ inScope: 7, pass: 1, fail: 2, unknown: 3, waived: 1, counted: 6, passing: 1, failing: 5 });
    expect(signatures?.percent).toBe(16.67);
    expect(signatures?.status).toBe("fail");
    expect(signatures?.failingDevices.map((d) => [d.computerDnsName, d.outcome, d.reason])).toEqual([
      ["a.contoso.com", "unknown", "avIsSignatureUpToDate is null"],
      ["b.contoso.com", "fail", "avIsSignatureUpToDate is false, expected true"],
      ["ghost.contoso.com", "unknown", "stale: no dataRefreshTimestamp or lastSeenTime"],
      ["stale.contoso.com", "unknown", "stale: lastSeenTime older than 7d"],
      [null, "fail", "avIsSignatureUpToDate is false, expected true"],
    ]);
    expect(platform?.counts).toMatchObject({ inScope: 1, fail: 1, counted: 1 });
    expect(platform?.failingDevices[0]?.reason).toBe("avPlatformVersion 4.18.2206.11 < 4.18.2206.108");
    expect(off).toMatchObject({ status: "disabled", percent: 100, failingDevices: [] });
    expect(off?.counts.inScope).toBe(0);
    expect(report.exceptions).toEqual([{ rule: "signatures", reason: "Known", expires: "2026-01-15", state: "active", devicesMatched: 1 }]);
    expect(report.gate).toBe("fail");
    expect(report.evaluatedAt).toBe("2026-01-15T12:00:00.000Z");
    expect(report.snapshot).toEqual({ digest: "sha256:abc", method: "files", complete: true, deviceCount: 7, generatedTime: "2026-01-15T06:00:00Z", tenantId: null });
    expect(report.baseline).toBeNull();
    expect(report.rules.map((r) => [r.comparison, r.baselineNote])).toEqual([[null, null], [null, null], [null, null]]);
    expect(rbacGroups[0]).toEqual({ rbacGroupName: "Workstations", pass: 1, fail: 1, unknown: 2, waived: 1 });
    expect(rbacGroups.map((g) => g.rbacGroupName).sort()).toEqual(["(no group)", "Prod", "Workstations"]);
    expect(ruleLocations).toEqual({ signatures: { line: 5, column: 5 }, "server-platform": { line: 10, column: 5 }, off: { line: 14, column: 5 } });
  });

  it("accepts the devices() function readSnapshot returns, and an incomplete header", async () => {
    const { report } = await evaluate(rules, { header: header(7, false), devices: () => streamOf(fleet()) }, TEST_NOW);
    expect(report.rules.map((r) => r.status)).toEqual(["indeterminate", "indeterminate", "disabled"]);
    expect(report.rules[0]?.counts.counted).toBe(6);
  });

  it("serializes the same input to identical bytes, keys in the spec's order", async () => {
    const first = serializeReport((await evaluate(rules, { header: header(7), devices: streamOf(fleet()) }, TEST_NOW)).report);
    const second = serializeReport((await evaluate(rules, { header: header(7), devices: streamOf(fleet()) }, TEST_NOW)).report);
    expect(second).toBe(first);
    expect(first.endsWith("}\n")).toBe(true);
    const parsed = JSON.parse(first) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["kind", "schemaVersion", "evaluatedAt", "gate", "snapshot", "baseline", "rules", "exceptions"]);
    const rule = (parsed.rules as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(Object.keys(rule)).toEqual(["id", "description", "severity", "enforcement", "status", "counts", "percent", "threshold", "failingDevices", "comparison", "baselineNote"]);
    expect(Object.keys(rule.counts as object)).toEqual(["inScope", "pass", "fail", "unknown", "waived", "counted", "passing", "failing"]);
    expect(rule.threshold).toEqual({ minPercent: 50, maxFailing: null });
    expect(first).toContain('\n  "kind": "avhealth-report",\n  "schemaVersion": 2,\n');
  });

  it("rejects an invalid now", async () => {
    await expect(evaluate(rules, { header: header(0), devices: streamOf([]) }, new Date("nope"))).rejects.toThrow(RangeError);
  });
});
