import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { appendHistory, parseHistory, readHistory } from "../../src/history";
import { line, makeEntries, makeEntry } from "./fixtures";
import { codeOf } from "../helpers/errors";

const DIST_HISTORY = path.resolve(__dirname, "../../dist/src/history/index.js");

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "avhealth-history-"));
  file = path.join(dir, "history.jsonl");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("appendHistory", () => {
  it("creates the file with one line, then appends; readHistory gives the entries back", async () => {
    const [a, b] = makeEntries(2) as [ReturnType<typeof makeEntry>, ReturnType<typeof makeEntry>];
    expect(await appendHistory(file, a)).toEqual({ entries: [a], warnings: [], appended: true });
    expect(await appendHistory(file, b)).toEqual({ entries: [a, b], warnings: [], appended: true });
    expect(readFileSync(file, "utf8")).toBe(line(a) + line(b));
    expect(await readHistory(file)).toEqual({ entries: [a, b], warnings: [] });
  });

  it("does not append the same snapshot and results again (the two passes of one pulumi up)", async () => {
    const first = makeEntry();
    await appendHistory(file, first);
    const again = await appendHistory(file, makeEntry({ evaluatedAt: "2026-06-01T12:03:00.000Z" }));
    expect(again).toEqual({ entries: [first], warnings: [], appended: false });
    expect(readFileSync(file, "utf8")).toBe(line(first));
    // Only the last line counts: going back to an earlier result is a change worth a line.
    const other = makeEntry({ snapshotDigest: "sha256:cd" });
    await appendHistory(file, other);
    expect((await appendHistory(file, first)).appended).toBe(true);
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(4);
  });

  it("cuts off a crash-cut last line before appending, with the warning", async () => {
    const [a, b] = makeEntries(2) as [ReturnType<typeof makeEntry>, ReturnType<typeof makeEntry>];
    writeFileSync(file, line(a) + line(b).slice(0, 57));
    const result = await appendHistory(file, b, "h.jsonl");
    expect(result.warnings).toEqual(["h.jsonl:2: the last line is incomplete (a writer stopped mid-line); it is ignored"]);
    expect(readFileSync(file, "utf8")).toBe(line(a) + line(b));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("ends a complete last line that lacks its newline before appending", async () => {
    const [a, b] = makeEntries(2) as [ReturnType<typeof makeEntry>, ReturnType<typeof makeEntry>];
    writeFileSync(file, JSON.stringify(a));
    await appendHistory(file, b);
    expect(readFileSync(file, "utf8")).toBe(line(a) + line(b));
  });

  it("takes over a lock left by a crashed process, and waits for a live one", async () => {
    const [a, b] = makeEntries(2) as [ReturnType<typeof makeEntry>, ReturnType<typeof makeEntry>];
    writeFileSync(file, line(a).slice(0, 20));
    writeFileSync(`${file}.lock`, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    await appendHistory(file, a);
    expect(readFileSync(file, "utf8")).toBe(line(a));

    writeFileSync(file, line(a) + line(b).slice(0, 20));
    writeFileSync(`${file}.lock`, "");
    setTimeout(() => rmSync(`${file}.lock`), 200);
    const started = Date.now();
    await appendHistory(file, b);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(readFileSync(file, "utf8")).toBe(line(a) + line(b));
  });

  it("refuses a history with a bad line before writing anything (HISTORY_INVALID)", async () => {
    const text = `not json\n${line(makeEntry())}`;
    writeFileSync(file, text);
    expect(await codeOf(appendHistory(file, makeEntry({ snapshotDigest: "sha256:cd" })))).toBe("HISTORY_INVALID");
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("creates missing directories", async () => {
    await appendHistory(path.join(dir, "a", "b", "h.jsonl"), makeEntry());
    expect(readFileSync(path.join(dir, "a", "b", "h.jsonl"), "utf8")).toBe(line(makeEntry()));
  });

  it("says HISTORY_WRITE_FAILED when the file cannot be written, HISTORY_INVALID when it cannot be read", async () => {
    writeFileSync(path.join(dir, "a-file"), "");
    expect(await codeOf(appendHistory(path.join(dir, "a-file", "h.jsonl"), makeEntry()))).toBe("HISTORY_WRITE_FAILED");
    expect(await codeOf(appendHistory(dir, makeEntry()))).toBe("HISTORY_INVALID");
  });

  it("keeps every line whole when 60 appends run at once", async () => {
    const entries = makeEntries(60);
    await Promise.all(entries.map((entry) => appendHistory(file, entry)));
    const read = parseHistory(readFileSync(file, "utf8"), "h");
    expect(read.warnings).toEqual([]);
    expect(read.entries.map((e) => e.snapshotDigest).sort()).toEqual(entries.map((e) => e.snapshotDigest).sort());
  });

  it("repairs a crash-cut tail once when 20 appends that all saw it run at once", async () => {
    const [first, ...rest] = makeEntries(21) as [ReturnType<typeof makeEntry>, ...ReturnType<typeof makeEntry>[]];
    writeFileSync(file, line(first) + line(first).slice(0, 33));
    await Promise.all(rest.map((entry) => appendHistory(file, entry)));
    const read = parseHistory(readFileSync(file, "utf8"), "h");
    expect(read.warnings).toEqual([]);
    expect(read.entries[0]).toEqual(first);
    expect(read.entries.slice(1).map((e) => e.snapshotDigest).sort()).toEqual(rest.map((e) => e.snapshotDigest).sort());
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("keeps every line whole when two processes append 150 entries each at once", async () => {
    expect(statSync(DIST_HISTORY).isFile()).toBe(true); // npm test builds dist first
    const script = `
      const { appendHistory } = require(${JSON.stringify(DIST_HISTORY)});
      const [file, who] = process.argv.slice(1);
      // A long rules object makes each line several KB, so a torn or interleaved write would show.
      const rules = {};
      for (let r = 0; r < 40; r++) rules["rule-" + r] = { status: "pass", percent: 99.5, counted: 200, failing: 1 };
      (async () => {
        for (let i = 0; i < 150; i++) {
          await appendHistory(file, { evaluatedAt: new Date().toISOString(), snapshotDigest: "sha256:" + who + "-" + i, deviceCount: 200, gate: "pass", rules });
        }
      })().catch((error) => { console.error(error); process.exit(1); });
    `;
    const run = (who: string) =>
      new Promise<number | null>((resolve) => spawn(process.execPath, ["-e", script, file, who], { stdio: "inherit" }).on("exit", resolve));
    expect(await Promise.all([run("a"), run("b")])).toEqual([0, 0]);
    const read = parseHistory(readFileSync(file, "utf8"), "h");
    expect(read.warnings).toEqual([]);
    expect(read.entries).toHaveLength(300);
    expect(new Set(read.entries.map((e) => e.snapshotDigest)).size).toBe(300);
    expect(read.entries.filter((e) => e.snapshotDigest.startsWith("sha256:a-"))).toHaveLength(150);
  });
});
