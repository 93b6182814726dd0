import type { RuleStatus } from "../../report-model/types";
import type { RuleRegression } from "../types";
import { applyRegression } from "./regression";

const NONE: RuleRegression = { maxPercentDrop: null, maxNewlyFailing: null, ratchet: false };
const rg = (overrides: Partial<RuleRegression>): RuleRegression => ({ ...NONE, ...overrides });

describe("applyRegression", () => {
  // Each row is worked by hand from baselines.md: regressed = (drop set and delta < -drop) or (max set and newly > max);
  // ratchet without maxPercentDrop counts the drop allowance as 0.
  it.each<[string, RuleStatus, number, number, RuleRegression, RuleStatus, boolean, boolean]>([
    // [case, v1 status, percentDelta, newlyFailing, regression, final status, regressed, ratcheted]
    ["no key: nothing changes", "pass", -50, 900, NONE, "pass", false, false],
    ["pass, drop 0.6 > allowed 0.5 → regressed, fails", "pass", -0.6, 0, rg({ maxPercentDrop: 0.5 }), "fail", true, false],
    ["pass, drop exactly 0.5 is allowed (not < -0.5)", "pass", -0.5, 0, rg({ maxPercentDrop: 0.5 }), "pass", false, false],
    ["pass, 2 newly failing > 1 allowed → regressed", "pass", 1.0, 2, rg({ maxNewlyFailing: 1 }), "fail", true, false],
    ["pass, 1 newly failing = 1 allowed → not regressed", "pass", -3.0, 1, rg({ maxNewlyFailing: 1 }), "pass", false, false],
    ["fail, ratchet, no drop, none new → ratcheted pass", "fail", 0, 0, rg({ ratchet: true }), "pass", false, true],
    ["fail, ratchet, improved → ratcheted pass", "fail", 2.25, 0, rg({ ratchet: true }), "pass", false, true],
    ["fail, ratchet alone: any drop (−0.01) regresses", "fail", -0.01, 0, rg({ ratchet: true }), "fail", true, false],
    ["fail, ratchet with drop 1 allowed, −0.8 → ratcheted pass", "fail", -0.8, 0, rg({ ratchet: true, maxPercentDrop: 1 }), "pass", false, true],
    ["fail, ratchet, 3 newly failing > 0 → stays fail", "fail", 0.5, 3, rg({ ratchet: true, maxNewlyFailing: 0 }), "fail", true, false],
    ["fail without ratchet, not regressed → stays fail", "fail", 0.5, 0, rg({ maxPercentDrop: 0.5 }), "fail", false, false],
    ["indeterminate never changes", "indeterminate", -10, 10, rg({ ratchet: true, maxNewlyFailing: 0 }), "indeterminate", false, false],
    ["disabled never changes", "disabled", -10, 10, rg({ ratchet: true }), "disabled", false, false],
  ])("%s", (_name, status, percentDelta, newlyFailing, regression, expected, regressed, ratcheted) => {
    const outcome = applyRegression(status, { percentDelta, newlyFailing }, regression);
    expect([outcome.status, outcome.regressed, outcome.ratcheted]).toEqual([expected, regressed, ratcheted]);
  });

  it("says why, with the figures", () => {
    expect(applyRegression("pass", { percentDelta: -1.254, newlyFailing: 3 }, rg({ maxPercentDrop: 0.5, maxNewlyFailing: 0 })).note).toBe(
      "regressed since the baseline: percent −1.25 points (allowed drop 0.5), 3 devices newly failing (allowed 0)",
    );
    expect(applyRegression("fail", { percentDelta: 0, newlyFailing: 1 }, rg({ ratchet: true, maxNewlyFailing: 2 })).note).toBe(
      "below the threshold, not worse than the baseline (ratchet): percent ±0.00 points (allowed drop 0), 1 device newly failing (allowed 2)",
    );
    expect(applyRegression("pass", { percentDelta: 0, newlyFailing: 0 }, rg({ ratchet: true })).note).toBeNull();
  });
});
