import { IdIndex } from "./id-index";

describe("IdIndex", () => {
  it("finds every added id at its index across many growths, and nothing else", () => {
    const ids: string[] = [];
    const index = new IdIndex(ids);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(index.add(`${i.toString(16).padStart(40, "0")}`)).toBe(i);
    expect(ids).toHaveLength(n);
    for (let i = 0; i < n; i += 7) expect(index.get(i.toString(16).padStart(40, "0"))).toBe(i);
    expect(index.get((n + 1).toString(16).padStart(40, "0"))).toBeUndefined();
    expect(index.get("")).toBeUndefined();
  });

  it("tells apart ids that differ in case, length or one character, and indexes an array given up front", () => {
    const ids = ["ABC", "abc", "ab", "abcd", "abd", "😀", "\u0000"];
    const index = new IdIndex([...ids]);
    ids.forEach((id, i) => expect(index.get(id)).toBe(i));
    expect(index.get("aBc")).toBeUndefined();
    expect(index.get("\u0001")).toBeUndefined();
  });
});
