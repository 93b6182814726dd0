import { createProgressLogger, describeProgress } from "../../provider/progress";
import { DEVICE_AV_HEALTH_TYPE as POLICY_TYPE } from "../../src/policy/resources";
import { DEVICE_AV_HEALTH_TYPE as PROVIDER_TYPE } from "../../provider/resource";

describe("fetch progress lines", () => {
  it("throttles counters to one line per interval but always shows method choice and waits", () => {
    const lines: string[] = [];
    let now = 0;
    const logger = createProgressLogger((line) => lines.push(line), () => now, 2000);
    logger.listener({ kind: "page", pages: 1, devices: 10000 });
    now = 500;
    logger.listener({ kind: "page", pages: 2, devices: 20000 });
    logger.listener({ kind: "rate-limit-wait", route: "deviceavinfo", waitMs: 1500 });
    now = 2600;
    logger.listener({ kind: "page", pages: 3, devices: 30000 });
    logger.listener({ kind: "method", method: "files", reason: "auto: 250000 devices" });
    expect(lines).toEqual([
      "avhealth: page 1: 10000 devices so far",
      "avhealth: waiting 2s to stay under the deviceavinfo rate limit",
      "avhealth: page 3: 30000 devices so far",
      "avhealth: using the files method: auto: 250000 devices",
    ]);
  });

  it.each([
    [{ kind: "part", partsDone: 3, partsTotal: 12, devices: 75000 } as const, "export part 3/12: 75000 devices so far"],
    [{ kind: "export-requested", parts: 12, generatedTime: "2026-11-27T10:00:00Z" } as const, "file export ready: 12 parts (generated 2026-11-27T10:00:00Z)"],
    [{ kind: "retry", route: "blob", attempt: 2, reason: "HTTP 503", waitMs: 400 } as const, "retrying blob (attempt 2, HTTP 503) in 1s"],
    [{ kind: "token" } as const, "token acquired"],
  ])("describes %j", (event, text) => {
    expect(describeProgress(event)).toBe(text);
  });
});

describe("the type token", () => {
  it("is the same in the provider and in the policy pack", () => {
    expect(PROVIDER_TYPE).toBe("pulumi-nodejs:dynamic/defender:DeviceAvHealth");
    expect(POLICY_TYPE).toBe(PROVIDER_TYPE);
  });
});
