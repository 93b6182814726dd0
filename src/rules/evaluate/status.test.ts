import { exactPercent, roundedPercent, ruleCounts, ruleStatus } from "./status";
import { newTally } from "./tally";

function counts(pass: number, fail: number, unknown: number, mode: "fail" | "pass" | "exclude" = "fail") {
  return ruleCounts({ ...newTally(), inScope: pass + fail + unknown, pass, fail, unknown }, mode);
}

describe("rule counts", () => {
  it.each([
    ["fail", { counted: 10, passing: 7, failing: 3 }],
    ["pass", { counted: 10, passing: 9, failing: 1 }],
    ["exclude", { counted: 8, passing: 7, failing: 1 }],
  ] as const)("unknown: %s", (mode, expected) => {
    expect(counts(7, 1, 2, mode)).toMatchObject(expected);
  });
});

describe("percent", () => {
  it.each([
    [98, 2, 98, 98],
    [2, 1, 66.67, 66.666],
    [1, 2, 33.33, 33.333],
    [1, 159, 0.63, 0.625],
    [0, 0, 100, 100],
    [199, 1, 99.5, 99.5],
    [1999, 1, 99.95, 99.95],
  ])("%i pass / %i fail → %d%% (exact ≈ %d)", (pass, fail, rounded, exact) => {
    const c = counts(pass, fail, 0);
    expect(roundedPercent(c)).toBe(rounded);
    expect(exactPercent(c)).toBeCloseTo(exact, 2);
  });
});

describe("status", () => {
  const base = { disabled: false, complete: true, minDevices: 1, threshold: { minPercent: 98, maxFailing: null } };
  it.each([
    ["exactly 98.00% against 98", counts(49, 1, 0), base, "pass"],
    ["97.99% against 98 (rounds to 97.99)", counts(9799, 201, 0), base, "fail"],
    ["97.995% rounds to 98 but is decided unrounded", counts(19599, 401, 0), base, "fail"],
    ["maxFailing holds at the limit", counts(95, 5, 0), { ...base, threshold: { minPercent: 90, maxFailing: 5 } }, "pass"],
    ["maxFailing exceeded by one", counts(94, 6, 0), { ...base, threshold: { minPercent: 90, maxFailing: 5 } }, "fail"],
    ["maxFailing 0 with a perfect fleet", counts(10, 0, 0), { ...base, threshold: { minPercent: 0, maxFailing: 0 } }, "pass"],
    ["fewer counted than minDevices", counts(4, 0, 0), { ...base, minDevices: 5 }, "indeterminate"],
    ["counted equal to minDevices", counts(5, 0, 0), { ...base, minDevices: 5 }, "pass"],
    ["nothing counted, minDevices 0", counts(0, 0, 0), { ...base, minDevices: 0 }, "pass"],
    ["incomplete snapshot", counts(100, 0, 0), { ...base, complete: false }, "indeterminate"],
    ["disabled wins over incomplete", counts(0, 9, 0), { ...base, disabled: true, complete: false }, "disabled"],
  ] as const)("%s → %s", (_name, c, input, expected) => {
    expect(ruleStatus(c, input)).toBe(expected);
  });

  it("rounds 97.995 to 98 in the report while the status is fail", () => {
    const c = counts(19599, 401, 0);
    expect(roundedPercent(c)).toBe(98);
  });
});
