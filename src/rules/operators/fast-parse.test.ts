import { compareVersionText, parseIsoUtc } from "./fast-parse";
import { compareVersions, parseVersion } from "./values";

describe("parseIsoUtc", () => {
  it.each([
    ["2026-01-15T12:00:00.000Z"],
    ["2026-01-15T12:00:00Z"],
    ["1970-01-01T00:00:00.000Z"],
    ["1969-12-31T23:59:59.999Z"],
    ["2000-02-29T12:34:56.789Z"],
    ["2100-03-01T00:00:00Z"],
    ["9999-12-31T23:59:59.999Z"],
    ["0100-03-01T00:00:00Z"],
    ["2026-04-31T00:00:00Z"],
    ["2026-02-30T00:00:00.000Z"],
    ["2024-02-29T23:59:59.999Z"],
    ["0099-01-01T00:00:00.000Z"],
    ["2026-01-01T24:00:00Z"],
    ["2026-13-01T00:00:00Z"],
    ["2026-01-01T00:00:60Z"],
    ["2026-01-01T00:00:00+02:00"],
    ["2026-01-01"],
    ["2026-1x-01T00:00:00.000Z"],
    ["garbage"],
    [""],
  ])("%p agrees with Date.parse", (text) => {
    expect(parseIsoUtc(text)).toEqual(Date.parse(text));
  });
});

it("agrees with Date.parse on every day of four centuries", () => {
  const mismatches: string[] = [];
  let checked = 0;
  for (let ms = Date.UTC(1900, 0, 1); ms < Date.UTC(2300, 0, 1); ms += 86_400_000 + 3_723_001) {
    const text = new Date(ms).toISOString();
    checked++;
    if (parseIsoUtc(text) !== ms || parseIsoUtc(text.replace(/\.\d{3}Z$/, "Z")) !== Math.floor(ms / 1000) * 1000) mismatches.push(text);
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBeGreaterThan(140_000);
});

describe("compareVersionText", () => {
  const samples = ["0", "1", "4.18", "4.18.0", "4.18.0.0", "4.18.2206.108", "4.18.2206.11", "4.18.2206.011", "4.18.2206", "1.1.19400.3", "1.1.19428.0", "10.0", "9.99", "00.1", "1.0.0.1", "123456789012345678901.1", "123456789012345678902"];
  const bad = ["", ".", "4.", ".4", "4..18", "4.18-beta", "v4", "4.18 ", "a.b"];
  it("orders every pair exactly as compareVersions does", () => {
    for (const text of samples) {
      for (const other of samples) {
        const expected = parseVersion(other);
        const mine = parseVersion(text);
        if (expected === null || mine === null) throw new Error("sample is not a version");
        expect([text, other, compareVersionText(text, expected.parts)]).toEqual([text, other, compareVersions(mine, expected)]);
      }
    }
  });

  it.each(bad)("returns null for %p", (text) => {
    expect(compareVersionText(text, ["4", "18"])).toBeNull();
  });
});
