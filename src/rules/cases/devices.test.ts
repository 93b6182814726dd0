import { ProblemCollector } from "../load/problems";
import { buildDevices, planDevices } from "./devices";

const NOW = new Date("2026-02-01T00:00:00Z");
const collector = () => new ProblemCollector("c.yaml", () => ({ line: 1, col: 1 }));

describe("case devices", () => {
  it("repeats entries, numbers copies with {n}, resolves relative times and keeps defaults", () => {
    const problems = collector();
    const plans = planDevices(
      [{ repeat: 2, computerDnsName: "kiosk-{n}.contoso.com", quickScanTime: "3d ago" }, { avMode: "passive", rbacGroupId: null }],
      ["cases", 0, "devices"],
      problems,
    );
    expect(problems.size).toBe(0);
    const devices = buildDevices(plans ?? [], NOW);
    expect(devices.map((d) => [d.computerDnsName, d.quickScanTime, d.avMode, d.rbacGroupId])).toEqual([
      ["kiosk-1.contoso.com", "2026-01-29T00:00:00.000Z", "active", 1],
      ["kiosk-2.contoso.com", "2026-01-29T00:00:00.000Z", "active", 1],
      ["device-00003.contoso.test", "2026-01-31T00:00:00.000Z", "passive", null],
    ]);
    expect(new Set(devices.map((d) => d.machineId)).size).toBe(3);
  });

  it.each([
    [{ avMode: "0" }, "avMode takes one of"],
    [{ avIsSignatureUpToDate: "True" }, "takes true, false or null"],
    [{ avPlatformVersion: 4.18 }, "write it in quotes"],
    [{ rbacGroupId: "7" }, "takes an integer or null"],
    [{ machineId: null }, "machineId cannot be null"],
    [{ lastSeenTime: "last week" }, 'relative time such as "3d ago"'],
    [{ repeat: 1.5 }, "repeat takes an integer"],
  ])("refuses %j", (entry, message) => {
    const problems = collector();
    expect(planDevices([entry], ["d"], problems)).toBeNull();
    expect(problems.list()[0]?.message).toContain(message);
  });

  it("caps the size of an inline fleet", () => {
    const problems = collector();
    expect(planDevices([{ repeat: 200_000 }, { repeat: 1 }], ["d"], problems)).toBeNull();
    expect(problems.list()[0]?.message).toContain("use a fleet file for more");
  });
});
