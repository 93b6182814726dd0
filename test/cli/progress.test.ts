/** Fetch progress on stderr: a live line on a terminal; off a terminal, one line per stage and at most one every 10 s. */
import { PassThrough } from "node:stream";
import type { ProgressEvent } from "../../src/http/types";
import type { CliIo } from "../../src/cli/io";
import { progressPrinter } from "../../src/cli/progress";

function io(tty: boolean): { io: CliIo; text: () => string } {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on("data", (c: Buffer) => chunks.push(c));
  return { io: { stdout: new PassThrough(), stderr, stdoutIsTTY: tty, stderrIsTTY: tty, env: {}, cwd: "/" }, text: () => Buffer.concat(chunks).toString("utf8") };
}

const page = (pages: number): ProgressEvent => ({ kind: "page", pages, devices: pages * 10_000 });

describe("progress off a terminal", () => {
  it("prints stages at once, pages at most every 10 s, and the last state at the end", () => {
    let now = 1_000_000;
    const out = io(false);
    const printer = progressPrinter(out.io, () => now);
    printer.listener({ kind: "token" });
    printer.listener({ kind: "method", method: "json", reason: "small fleet" });
    // 20 pages, one every 1.5 s: 30 s of paging.
    for (let p = 1; p <= 20; p++) {
      now += 1500;
      printer.listener(page(p));
    }
    now += 500;
    printer.end();
    const lines = out.text().trimEnd().split("\n");
    expect(lines[0]).toBe("progress [0s] signed in");
    expect(lines[1]).toBe("progress [0s] method json: small fleet");
    const pages = lines.slice(2);
    // Stage lines count: the first page line comes 10 s after them, then every 10 s, then the last state at the end.
    expect(pages).toEqual([
      "progress [11s] page 7: 70000 devices so far",
      "progress [21s] page 14: 140000 devices so far",
      "progress [31s] page 20: 200000 devices so far",
    ]);
    expect(out.text()).not.toContain("\r");
    expect(out.text()).not.toContain("\u001b");
  });

  it("prints nothing more at the end when the last event was already printed", () => {
    let now = 0;
    const out = io(false);
    const printer = progressPrinter(out.io, () => now);
    printer.listener({ kind: "export-requested", parts: 4, generatedTime: null });
    now = 20_000;
    printer.listener({ kind: "part", partsDone: 4, partsTotal: 4, devices: 50 });
    printer.end();
    expect(out.text()).toBe("progress [0s] export generated at an unknown time: 4 parts\nprogress [20s] parts 4/4: 50 devices so far\n");
  });
});

describe("progress on a terminal", () => {
  it("keeps one live line and clears it at the end", () => {
    const out = io(true);
    const printer = progressPrinter(out.io, () => 0);
    printer.listener(page(1));
    printer.listener(page(2));
    printer.end();
    expect(out.text()).toBe("\r\u001b[2Kpage 1: 10000 devices so far\r\u001b[2Kpage 2: 20000 devices so far\r\u001b[2K");
  });
});
