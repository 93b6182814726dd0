import { EntryColumns, FailingStore } from "./failing-store";
import { compareFailing } from "./tally";

/** What a device added without routing facts carries. */
const NONE = { rbacGroupName: null, osPlatform: null, lastSeenTime: null };

describe("FailingStore", () => {
  it("lists a rule's entries in compareFailing order (name, then id; no name last), whatever the pass order", () => {
    const store = new FailingStore();
    const devices: Array<[string, string | null]> = [
      ["m5", "b.contoso.com"],
      ["m1", null],
      ["m3", "a.contoso.com"],
      ["m2", "a.contoso.com"],
      ["m0", null],
      ["m9", "Z-upper.contoso.com"],
      ["m8", "é.contoso.com"],
      ["m7", "😀.contoso.com"],
      ["m6", "\uffef.contoso.com"],
    ];
    const rows = devices.map(([id, name]) => store.addDevice(id, name));
    const columns = new EntryColumns();
    const reasons = ["false", "stale"].map((text) => store.reason(text));
    expect(store.reason("false")).toBe(reasons[0]);
    // Pushed in reverse, with outcomes and reasons that must travel with their device.
    for (let i = rows.length - 1; i >= 0; i--) columns.push(rows[i] as number, reasons[i % 2] as number, i % 3 !== 0);
    store.rank();
    const list = store.sortedList(columns);
    const expected = devices
      .map(([machineId, computerDnsName], i) => ({ machineId, computerDnsName, outcome: i % 3 !== 0 ? "fail" : "unknown", reason: i % 2 === 0 ? "false" : "stale", ...NONE }))
      .sort(compareFailing);
    expect(list).toEqual(expected);
    expect(list.map((d) => d.machineId)).toEqual(["m9", "m2", "m3", "m5", "m8", "m7", "m6", "m0", "m1"]);
  });

  it("keeps only the rule's own devices, and the same device twice (a repeated id) in the order seen", () => {
    const store = new FailingStore();
    const first = store.addDevice("dup", "same");
    const other = store.addDevice("x", "a");
    const second = store.addDevice("dup", "same");
    const reason = store.reason("r");
    const a = new EntryColumns();
    a.push(second, reason, true);
    a.push(first, reason, false);
    const b = new EntryColumns();
    b.push(other, reason, true);
    store.rank();
    expect(store.sortedList(a).map((d) => d.outcome)).toEqual(["unknown", "fail"]);
    expect(store.sortedList(b)).toEqual([{ machineId: "x", computerDnsName: "a", outcome: "fail", reason: "r", ...NONE }]);
    expect(store.sortedList(new EntryColumns())).toEqual([]);
  });

  it("columns grow past their first size and keep every entry", () => {
    const store = new FailingStore();
    const columns = new EntryColumns();
    const reason = store.reason("r");
    for (let i = 0; i < 1000; i++) columns.push(store.addDevice(`m${String(i).padStart(4, "0")}`, null), reason, true);
    store.rank();
    const list = store.sortedList(columns);
    expect(list.length).toBe(1000);
    expect(list[999]?.machineId).toBe("m0999");
  });

  it("refuses to list before the order is decided or after finish(), while built lists stay readable", () => {
    const store = new FailingStore();
    expect(() => store.sortedList(new EntryColumns())).toThrow(/outside rank/);
    const columns = new EntryColumns();
    columns.push(store.addDevice("m", "n"), store.reason("r"), true);
    store.rank();
    const list = store.sortedList(columns);
    store.finish();
    expect(() => store.sortedList(columns)).toThrow(/outside rank/);
    expect(list).toEqual([{ machineId: "m", computerDnsName: "n", outcome: "fail", reason: "r", ...NONE }]);
  });
});

describe("FailingStore routing facts", () => {
  it("carries each device's machine group, OS platform and last seen, with one copy of each group and platform name", () => {
    const store = new FailingStore();
    const a = store.addDevice("a", "a.contoso.com", { rbacGroupName: ["Pr", "od"].join(""), osPlatform: "Windows11", lastSeenTime: "2026-12-01T00:00:00.000Z" });
    const b = store.addDevice("b", "b.contoso.com", { rbacGroupName: ["P", "rod"].join(""), osPlatform: null, lastSeenTime: null });
    const columns = new EntryColumns();
    columns.push(a, store.reason("r"), true);
    columns.push(b, store.reason("r"), false);
    store.rank();
    const [first, second] = store.sortedList(columns);
    expect(first).toEqual({ machineId: "a", computerDnsName: "a.contoso.com", outcome: "fail", reason: "r", rbacGroupName: "Prod", osPlatform: "Windows11", lastSeenTime: "2026-12-01T00:00:00.000Z" });
    expect(second).toMatchObject({ rbacGroupName: "Prod", osPlatform: null, lastSeenTime: null });
  });
});
