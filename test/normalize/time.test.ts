import { fastCanonicalTime } from "../../src/normalize/time";
import { toTime } from "../../src/normalize/values";

const viaDate = (s: string): string | null => {
  const noOffset = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(s);
  const ms = Date.parse(noOffset ? `${s}Z` : s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

describe("fastCanonicalTime", () => {
  it.each([
    ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z"],
    ["2024-05-01T10:00:00.1234567Z", "2024-05-01T10:00:00.123Z"],
    ["2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.500Z"],
    ["2024-05-01T10:00:00+00:00", "2024-05-01T10:00:00.000Z"],
    ["2024-05-01T10:00:00", "2024-05-01T10:00:00.000Z"],
    ["2024-05-01T10:00:00z", "2024-05-01T10:00:00.000Z"],
  ])("%s → %s", (input, expected) => {
    expect(fastCanonicalTime(input)).toBe(expected);
  });

  it.each(["2024-02-30T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:00:00+02:00", "2024-05-01T10:00Z", "2024-05-01 10:00:00Z", "2024-05-01T10:00:00.Z", "2024-13-01T00:00:00Z"])(
    "leaves %s to Date",
    (input) => {
      expect(fastCanonicalTime(input)).toBeUndefined();
    },
  );

  it("agrees with new Date(x).toISOString() on 20,000 random near-ISO strings", () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pad = (n: number, w: number): string => String(n).padStart(w, "0");
    const tails = ["", "Z", "z", "+00:00", "+01:00", "-00:00", ".1Z", ".12", ".123456789Z", ".Z", "ZZ", " "];
    let fastHits = 0;
    for (let i = 0; i < 20_000; i++) {
      const s = `${pad(rnd(3000), 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)}T${pad(rnd(26), 2)}:${pad(rnd(62), 2)}:${pad(rnd(62), 2)}${tails[rnd(tails.length)]}`;
      const fast = fastCanonicalTime(s);
      if (fast !== undefined) {
        fastHits++;
        expect([s, fast]).toEqual([s, viaDate(s)]);
      }
      const warned: string[] = [];
      expect([s, toTime(s, "t", (_f, m) => warned.push(m))]).toEqual([s, s.startsWith("0001-01-01") || viaDate(s)?.startsWith("0001-01-01") ? null : viaDate(s)]);
    }
    expect(fastHits).toBeGreaterThan(2_000);
  });
});
