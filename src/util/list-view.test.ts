import { deviceListView, listSource } from "./list-view";

interface Item {
  id: string;
  n: number;
}

function counted(length: number): { view: Item[]; reads: () => number } {
  let reads = 0;
  const view = deviceListView<Item>({
    length,
    entry: (i) => {
      reads++;
      return { id: `d${i}`, n: i };
    },
  });
  return { view, reads: () => reads };
}

const plain = (length: number): Item[] => Array.from({ length }, (_, i) => ({ id: `d${i}`, n: i }));

describe("deviceListView", () => {
  it("reads as the array it stands for: length, indexes, Array.isArray, equality, JSON", () => {
    const { view } = counted(5);
    expect(view.length).toBe(5);
    expect(view[3]).toEqual({ id: "d3", n: 3 });
    expect(view[5]).toBeUndefined();
    expect(view["-1" as unknown as number]).toBeUndefined();
    expect(Array.isArray(view)).toBe(true);
    expect(view).toEqual(plain(5));
    expect(view).not.toEqual(plain(4));
    expect(JSON.stringify(view, null, 2)).toBe(JSON.stringify(plain(5), null, 2));
    expect(Object.keys(view)).toEqual(["0", "1", "2", "3", "4"]);
    expect(2 in view).toBe(true);
    expect(5 in view).toBe(false);
  });

  it("Array methods work and read only the entries they touch", () => {
    const { view, reads } = counted(1_000_000);
    expect(view.slice(0, 3)).toEqual(plain(3));
    expect(view.some((item) => item.n === 2)).toBe(true);
    expect(reads()).toBeLessThan(10);
    const small = counted(4).view;
    expect(small.map((item) => item.id)).toEqual(["d0", "d1", "d2", "d3"]);
    expect([...small].map((item) => item.n)).toEqual([0, 1, 2, 3]);
    expect(small.filter((item) => item.n % 2 === 1)).toEqual([plain(4)[1], plain(4)[3]]);
    let seen = 0;
    for (const item of small) seen += item.n;
    expect(seen).toBe(6);
  });

  it("an empty view is an empty array", () => {
    const { view } = counted(0);
    expect(view).toEqual([]);
    expect(JSON.stringify(view)).toBe("[]");
  });

  it("is read-only: push, sort, assignment and deletion throw and change nothing", () => {
    const { view } = counted(3);
    expect(() => view.push({ id: "x", n: 9 })).toThrow(TypeError);
    expect(() => view.sort((a, b) => b.n - a.n)).toThrow(TypeError);
    expect(() => {
      view[0] = { id: "x", n: 9 };
    }).toThrow(TypeError);
    expect(() => delete view[1]).toThrow(TypeError);
    expect(view).toEqual(plain(3));
  });

  it("listSource gives the source of a view, and nothing for a plain array", () => {
    const { view } = counted(2);
    expect(listSource(view)?.entry(1)).toEqual({ id: "d1", n: 1 });
    expect(listSource(plain(2))).toBeUndefined();
  });
});
