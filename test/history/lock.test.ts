import { existsSync, mkdtempSync, promises as fsp, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { withLock } from "../../src/history/lock";

let dir: string;
let file: string;
let lock: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "avhealth-lock-"));
  file = path.join(dir, "history.jsonl");
  lock = `${file}.lock`;
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock left by a crashed process a minute ago. */
function staleLock(text = '{"pid":1,"host":"gone","at":0,"token":"stale"}'): void {
  writeFileSync(lock, text);
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
}

/**
 * Holds every look at the lock's age (fs.promises.stat of the lock) until the test lets it go, so the test
 * decides what happens on disk between a waiter's staleness judgement and what it does next.
 */
function holdAgeLooks(): { pending: () => number; release: (index: number) => void } {
  const waiting: Array<() => void> = [];
  const real = fsp.stat.bind(fsp);
  jest.spyOn(fsp, "stat").mockImplementation(async (p, ...rest) => {
    const stats = (await real(p as string, ...(rest as []))) as Stats;
    if (p !== lock) return stats;
    await new Promise<void>((resolve) => waiting.push(resolve));
    return stats;
  });
  return { pending: () => waiting.length, release: (index) => waiting[index]?.() };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  if (!condition()) throw new Error("timed out waiting for the condition");
}

describe("withLock over a stale lock", () => {
  it("lets exactly one of two waiters that judged it stale at once hold the lock at a time", async () => {
    staleLock();
    const looks = holdAgeLooks();
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const worker = (name: string) => async () => {
      inside++;
      most = Math.max(most, inside);
      order.push(`${name} in`);
      await sleep(300);
      order.push(`${name} out`);
      inside--;
    };
    const a = withLock(file, worker("a"));
    const b = withLock(file, worker("b"));
    // Both have read the stale lock and are looking at its age.
    await until(() => looks.pending() === 2);
    looks.release(0);
    await until(() => inside === 1);
    // The first one took the lock over and holds it; the second now acts on its earlier judgement.
    looks.release(1);
    // Later looks (at the first one's fresh lock) pass straight through.
    jest.restoreAllMocks();
    await Promise.all([a, b]);
    expect(most).toBe(1);
    // Whichever went first, the other came in only after it left.
    const [first, second] = order[0] === "a in" ? ["a", "b"] : ["b", "a"];
    expect(order).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("never deletes a fresh lock that another process wrote after the staleness judgement", async () => {
    staleLock();
    const looks = holdAgeLooks();
    const fresh = '{"pid":2,"host":"here","at":1,"token":"fresh"}';
    let ranAt = 0;
    const started = Date.now();
    const waiter = withLock(file, async () => {
      ranAt = Date.now() - started;
    });
    await until(() => looks.pending() === 1);
    // Another process takes the stale lock over and holds a fresh one, while the waiter still holds its judgement.
    rmSync(lock);
    writeFileSync(lock, fresh);
    looks.release(0);
    jest.restoreAllMocks();
    await sleep(400);
    expect(existsSync(lock) && readFileSync(lock, "utf8")).toBe(fresh);
    expect(ranAt).toBe(0);
    rmSync(lock);
    await waiter;
    expect(ranAt).toBeGreaterThanOrEqual(400);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("writes a lock that names its holder, readable by its owner only, and removes it after the work", async () => {
    let seen = "";
    let mode = 0;
    await withLock(file, async () => {
      seen = readFileSync(lock, "utf8");
      mode = statSync(lock).mode & 0o777;
    });
    expect(JSON.parse(seen)).toEqual({ pid: process.pid, host: expect.any(String), at: expect.any(Number), token: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(mode).toBe(0o600);
    expect(readdirSync(dir)).toEqual([]);
  });
});
