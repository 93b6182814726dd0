import { DEFAULT_RATE_LIMITS, parseRateLimitSpec } from "../../src/emulator";
import { createRateLimiter } from "../../src/emulator/rate-limit";
import { isAvHealthError } from "../../src/errors";
import { accessToken, apiGet, errorCode, harness } from "./helpers";

describe("rate-limit spec", () => {
  it.each([
    ["json=30/60s,export=5/60s", { deviceavinfo: [{ limit: 30, windowSeconds: 60 }], export: [{ limit: 5, windowSeconds: 60 }] }],
    ["json=30/1m+1000/1h", { deviceavinfo: [{ limit: 30, windowSeconds: 60 }, { limit: 1000, windowSeconds: 3600 }] }],
    ["blob=2/10s,token=off", { blob: [{ limit: 2, windowSeconds: 10 }], token: "off" }],
    ["off", { deviceavinfo: "off", export: "off", token: "off", blob: "off" }],
  ])("%s", (spec, expected) => {
    expect(parseRateLimitSpec(spec)).toEqual(expected);
  });

  it.each(["json", "json=30", "json=0/60s", "disk=1/1s", "json=30/60d"])("rejects %s", (spec) => {
    let caught: unknown;
    try {
      parseRateLimitSpec(spec);
    } catch (error) {
      caught = error;
    }
    expect(isAvHealthError(caught, "CONFIG_INVALID")).toBe(true);
  });

  it("keeps the documented defaults for routes a spec does not name", () => {
    const limiter = createRateLimiter("export=2/60s");
    expect(limiter.windows.deviceavinfo).toEqual(DEFAULT_RATE_LIMITS.deviceavinfo);
    expect(limiter.windows.export).toEqual([{ limit: 2, windowSeconds: 60 }]);
    expect(createRateLimiter(undefined).windows.export).toEqual([
      { limit: 5, windowSeconds: 60 },
      { limit: 20, windowSeconds: 3600 },
    ]);
  });
});

describe("rate limiter", () => {
  it("limits per client over sliding windows and says when to retry", () => {
    const limiter = createRateLimiter({ deviceavinfo: [{ limit: 3, windowSeconds: 60 }, { limit: 4, windowSeconds: 3600 }] });
    const t0 = 1_000_000;
    const at = (s: number, client = "a"): unknown => limiter.check("deviceavinfo", client, t0 + s * 1000);
    expect([at(0), at(10), at(20)]).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(at(30)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(at(30, "b")).toEqual({ allowed: true });
    expect(at(61)).toEqual({ allowed: true });
    // 4 counted in the hour now: the hourly window decides, until the first request is an hour old.
    expect(at(125)).toEqual({ allowed: false, retryAfterSeconds: 3600 - 125 });
    expect(at(3601)).toEqual({ allowed: true });
  });

  it("does not limit routes that are off", () => {
    const limiter = createRateLimiter("off");
    for (let i = 0; i < 100; i++) expect(limiter.check("export", "a", i)).toEqual({ allowed: true });
  });
});

describe("rate limits over HTTP", () => {
  it("answers the 6th export call in a minute with 429 TooManyRequests and Retry-After", async () => {
    let clock = new Date("2025-03-01T12:00:00Z");
    const h = await harness({ devices: 3, now: () => clock });
    try {
      const token = await accessToken(h);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await apiGet(h, "/api/machines/InfoGatheringExport", token)).status);
        clock = new Date(clock.getTime() + 1000);
      }
      const limited = await apiGet(h, "/api/machines/InfoGatheringExport", token);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect([limited.status, errorCode(limited), limited.headers["retry-after"]]).toEqual([429, "TooManyRequests", "55"]);
      clock = new Date(clock.getTime() + 55_000);
      expect((await apiGet(h, "/api/machines/InfoGatheringExport", token)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it("applies a json limit from a spec string to deviceavinfo", async () => {
    const h = await harness({ devices: 3, rateLimit: "json=2/60s" });
    try {
      const token = await accessToken(h);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await apiGet(h, "/api/deviceavinfo", token)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await h.close();
    }
  });
});
