import { isAvHealthError } from "../../src/errors";
import { parseHistory } from "../../src/history";
import { line, makeEntries, makeEntry } from "./fixtures";

function failure(text: string): { code: string; message: string; line: unknown } {
  try {
    parseHistory(text, "h.jsonl");
  } catch (error) {
    if (!isAvHealthError(error)) throw error;
    return { code: error.code, message: error.message, line: error.details.line };
  }
  throw new Error("parsed without an error");
}

describe("parseHistory", () => {
  it("reads every line in order; an empty text is an empty history; blank lines are skipped", () => {
    const entries = makeEntries(3);
    expect(parseHistory(entries.map(line).join(""), "h.jsonl")).toEqual({ entries, warnings: [] });
    expect(parseHistory("", "h.jsonl")).toEqual({ entries: [], warnings: [] });
    expect(parseHistory(`${line(entries[0]!)}\n  \n${line(entries[1]!)}`, "h.jsonl").entries).toEqual(entries.slice(0, 2));
  });

  it("accepts a complete last line without its newline, and keys a later version may add", () => {
    const entry = { ...makeEntry(), baseline: "x" };
    expect(parseHistory(JSON.stringify(entry), "h.jsonl").entries).toEqual([entry]);
  });

  it("ignores a last line cut at any point by a crash, with a warning that names file:line", () => {
    const kept = makeEntries(2);
    const cut = JSON.stringify(makeEntry({ snapshotDigest: "sha256:ff" }));
    for (let at = 1; at < cut.length; at++) {
      const read = parseHistory(kept.map(line).join("") + cut.slice(0, at), "h.jsonl");
      expect(read.entries).toEqual(kept);
      expect(read.warnings).toEqual(["h.jsonl:3: the last line is incomplete (a writer stopped mid-line); it is ignored"]);
    }
  });

  it.each([
    ["a cut line in the middle", (l: string) => `${l.slice(0, 40)}\n${l}`, 1, "is not JSON"],
    ["a cut last line that has its newline", (l: string) => `${l}${l.slice(0, 40)}\n`, 2, "is not JSON"],
    ["a last line that is complete but wrong", (l: string) => `${l}{"evaluatedAt":"x"}`, 2, "evaluatedAt is not a timestamp"],
    ["a last line that is not an object", (l: string) => `${l}garbage`, 2, "is not JSON"],
    ["an array", (l: string) => `[1]\n${l}`, 1, "is not a JSON object"],
    ["a bad gate", (l: string) => `${l}${l.replace('"gate":"pass"', '"gate":"PASS"')}`, 2, 'gate is not "pass" or "fail"'],
    ["a negative count", (l: string) => l.replace('"deviceCount":200', '"deviceCount":-1'), 1, "deviceCount is not a count"],
    ["a percent over 100", (l: string) => l.replace('"percent":99.5', '"percent":101'), 1, "rules.signatures-current: percent is not a number from 0 to 100"],
    ["an unknown status", (l: string) => l.replace('"status":"pass"', '"status":"ok"'), 1, "rules.signatures-current: status is not pass, fail, indeterminate or disabled"],
    ["a fractional failing count", (l: string) => l.replace('"failing":1', '"failing":1.5'), 1, "rules.signatures-current: failing is not a count"],
    ["no rules", (l: string) => l.replace(/"rules":.*\}\}/, '"rules":[]}'), 1, "rules is not an object"],
  ])("refuses %s with a located HISTORY_INVALID", (_what, build, at, problem) => {
    const { code, message, line: reported } = failure(build(line(makeEntry())));
    expect(code).toBe("HISTORY_INVALID");
    expect(reported).toBe(at);
    expect(message.startsWith(`h.jsonl:${at}: ${problem}`)).toBe(true);
  });
});
