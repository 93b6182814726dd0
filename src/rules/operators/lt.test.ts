import { operatorOutcome, operatorReason } from "../testing/operator-outcome";

describe("lt", () => {
  it.each([
    ["1.1.19400.3", "1.1.19428.0", "pass"],
    ["1.1.19428.0", "1.1.19400.3", "fail"],
    ["1.1.19428", "1.1.19428.0", "fail"],
    ["1.1.19428.0.0.1", "1.1.19428", "fail"],
    ["1.x", "2", "fail"],
    [null, "2", "fail"],
  ])("avEngineVersion %p lt %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("lt", "avEngineVersion", expected, actual)).toBe(outcome);
  });

  it.each([
    ["2025-12-31T23:59:59Z", "2026-01-01", "pass"],
    ["2026-01-01T00:00:00Z", "2026-01-01", "fail"],
    ["not a time", "2026-01-01", "fail"],
  ])("avSignaturePublishTime %p lt %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("lt", "avSignaturePublishTime", expected, actual)).toBe(outcome);
  });

  it.each([
    [1, 2, "pass"],
    [2, 2, "fail"],
  ])("rbacGroupId %p lt %p → %s", (actual, expected, outcome) => {
    expect(operatorOutcome("lt", "rbacGroupId", expected, actual)).toBe(outcome);
  });

  it("explains an unparseable time", () => {
    expect(operatorReason("lt", "lastSeenTime", "2026-01-01", "yesterday")).toBe("lastSeenTime yesterday is not a valid timestamp");
  });
});
