import { ago, operatorOutcome, operatorProblem } from "../testing/operator-outcome";

describe("gt", () => {
  it.each([
    ["4.18.2206.108", "4.18.2206.11", "pass"],
    ["4.18.2206.11", "4.18.2206.108", "fail"],
    ["4.18", "4.18.0.0", "fail"],
    ["4.18.0.1", "4.18", "pass"],
    ["4.18.2206", "4.18.2206.0.0", "fail"],
    ["10.0", "9.99", "pass"],
    ["banana", "1.0", "fail"],
    [null, "1.0", "fail"],
  ])("avPlatformVersion %p gt %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gt", "avPlatformVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["2026-01-02T00:00:00Z", "2026-01-01", "pass"],
    ["2026-01-01T00:00:00Z", "2026-01-01", "fail"],
    ["2026-01-01T00:00:00.001Z", "2026-01-01T00:00:00Z", "pass"],
    [null, "2026-01-01", "fail"],
  ])("lastSeenTime %p gt %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gt", "lastSeenTime", expected, actual)).toBe(outcome);
  });

  it.each([
    [10, 9, "pass"],
    [9, 9, "fail"],
    [null, 9, "fail"],
  ])("rbacGroupId %p gt %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("gt", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it.each([
    ["avPlatformVersion", 4.18, "version values must be quoted strings"],
    ["lastSeenTime", "2026-01-01T00:00:00", "not a valid time"],
    ["lastSeenTime", "2026-02-30", "not a valid time"],
    ["lastSeenTime", ago("1d"), null],
    ["rbacGroupId", "9", "integer values"],
  ])("%s gt %p → load-time message %p", (field, expected, message) => {
    const problem = operatorProblem("gt", field as "rbacGroupId", expected);
    if (message === null) expect(problem).toBeNull();
    else expect(problem).toContain(message);
  });
});
