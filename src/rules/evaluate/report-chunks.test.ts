import { jsonChunks } from "./report-chunks";

const device = (i: number) => ({ machineId: `m${i}`, computerDnsName: i % 3 === 0 ? null : `host-${i}\n"<x>"`, outcome: "fail", reason: "r\u2028\u0001" });

describe("jsonChunks", () => {
  it.each<[string, unknown]>([
    ["a scalar", 98.5],
    ["a string with every escape", 'a"b\\c\nd\te\u0000😀'],
    ["empty containers", { a: [], b: {}, c: [[]], d: [{}] }],
    ["undefined and null", { a: undefined, b: null, c: [undefined, 1] }],
    ["a report-like document with 0, 3 and 200 devices", {
      kind: "avhealth-report",
      snapshot: { digest: "sha256:x", tenantId: null },
      baseline: null,
      rules: [0, 3, 200].map((n) => ({ id: `r${n}`, counts: { pass: n }, failingDevices: Array.from({ length: n }, (_, i) => device(i)), comparison: n === 3 ? { newlyFailing: [device(1)], left: [] } : null })),
      exceptions: [],
    }],
    ["deep nesting", { a: [{ b: [{ c: [1, { d: [] }] }] }] }],
  ])("%s: the chunks join to JSON.stringify(value, null, 2)", (_name, value) => {
    expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });

  it("walks a long device list instead of stringifying it as one chunk", () => {
    const chunks = [...jsonChunks({ failingDevices: Array.from({ length: 1000 }, (_, i) => device(i)) })];
    expect(chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(200);
  });
});
