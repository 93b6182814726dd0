import { collectGarbage } from "../../src/util/collect-garbage";

describe("collectGarbage", () => {
  it("collects (freed weakly held objects disappear) without adding a global gc", async () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === "function";
    let target: object | undefined = { payload: new Array(10_000).fill("x") };
    const ref = new WeakRef(target);
    target = undefined;
    // A WeakRef target survives until the end of the current job.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect(typeof (globalThis as { gc?: unknown }).gc === "function").toBe(hadGc);
  });
});
