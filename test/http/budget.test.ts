import { isAvHealthError, ErrorCodes } from "../../src/errors";
import { createRateBudget, DEFAULT_BUDGET } from "../../src/http/budget";
import type { ProgressEvent } from "../../src/http/types";

/** A fake clock whose sleep advances time instantly, recording each wait. */
function fakeClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

describe("createRateBudget", () => {
  it("lets 30 deviceavinfo calls through a minute, then waits for the oldest to slide out", async () => {
    const clock = fakeClock();
    const events: ProgressEvent[] = [];
    const budget = createRateBudget({ now: clock.now, sleep: clock.sleep, onProgress: (e) => events.push(e) });
    for (let i = 0; i < 30; i++) {
      await budget.acquire("deviceavinfo");
      clock.advance(100);
    }
    expect(clock.sleeps).toEqual([]);
    await budget.acquire("deviceavinfo"); // the first call was at +0; now is +3000
    expect(clock.sleeps).toEqual([57_000]);
    expect(events).toEqual([{ kind: "rate-limit-wait", route: "deviceavinfo", waitMs: 57_000 }]);
  });

  it("export: 5 per minute, then 20 per hour", async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ now: clock.now, sleep: clock.sleep, maxWaitMs: 2 * 3_600_000 });
    for (let i = 0; i < 20; i++) await budget.acquire("export");
    // 20 calls at 5/min: three one-minute waits per extra batch of 5 → 3 waits of 60 s
    expect(clock.sleeps).toEqual([60_000, 60_000, 60_000]);
    await budget.acquire("export");
    // the 21st waits for the hour window: first call at +0, now at +180 s
    expect(clock.sleeps[3]).toBe(3_600_000 - 180_000);
  });

  it("routes are independent", async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ now: clock.now, sleep: clock.sleep, limits: { export: [{ limit: 1, windowMs: 1000 }] } });
    await budget.acquire("export");
    for (let i = 0; i < 30; i++) await budget.acquire("deviceavinfo");
    expect(clock.sleeps).toEqual([]);
    await budget.acquire("export");
    expect(clock.sleeps).toEqual([1000]);
  });

  it("serialises concurrent callers so none oversteps the window", async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ now: clock.now, sleep: clock.sleep, limits: { deviceavinfo: [{ limit: 2, windowMs: 1000 }] } });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map(() => budget.acquire("deviceavinfo").then(() => order.push(clock.now()))));
    expect(order).toEqual([1_000_000, 1_000_000, 1_001_000, 1_001_000, 1_002_000]);
  });

  it("a wait longer than maxWaitMs fails with HTTP_BUDGET_EXHAUSTED, and later callers still get through", async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ now: clock.now, sleep: clock.sleep, maxWaitMs: 30_000, limits: { export: [{ limit: 1, windowMs: 60_000 }] } });
    await budget.acquire("export");
    const error = await budget.acquire("export").catch((e: unknown) => e);
    expect(isAvHealthError(error, ErrorCodes.HTTP_BUDGET_EXHAUSTED)).toBe(true);
    clock.advance(60_000);
    await expect(budget.acquire("export")).resolves.toBeUndefined();
  });

  it('"off" never waits', async () => {
    const clock = fakeClock();
    const budget = createRateBudget({ limits: "off", now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 100; i++) await budget.acquire("export");
    expect(clock.sleeps).toEqual([]);
  });

  it("defaults match the documented limits", () => {
    expect(DEFAULT_BUDGET).toEqual({
      deviceavinfo: [
        { limit: 30, windowMs: 60_000 },
        { limit: 1000, windowMs: 3_600_000 },
      ],
      export: [
        { limit: 5, windowMs: 60_000 },
        { limit: 20, windowMs: 3_600_000 },
      ],
    });
  });
});
