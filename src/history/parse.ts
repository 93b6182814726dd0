/**
 * Reads a history file's text. Each line must be an entry; a blank line is skipped. The one tolerated defect
 * is a last line without its newline that is not complete JSON: a writer that crashed mid-line leaves exactly
 * that, so it is ignored with a warning. Any other bad line is a HISTORY_INVALID error located at `file:line`.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import type { HistoryEntry, HistoryRead, HistoryRule } from "./types";

const STATUSES: ReadonlySet<string> = new Set(["pass", "fail", "indeterminate", "disabled"]);

export function parseHistory(text: string, file: string): HistoryRead {
  const lines = text.split("\n");
  // After a final newline split() leaves one empty string: not a line.
  const tail = lines.pop() as string;
  const entries: HistoryEntry[] = [];
  const warnings: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== "") entries.push(parseLine(line, file, i + 1));
  });
  if (tail.trim() !== "") {
    const at = lines.length + 1;
    if (isCutShort(tail)) warnings.push(`${file}:${at}: the last line is incomplete (a writer stopped mid-line); it is ignored`);
    else entries.push(parseLine(tail, file, at));
  }
  return { entries, warnings };
}

/**
 * An object cut before its closing brace: the parser runs out of text (it fails at the very end) rather than
 * meeting a wrong character. A complete but wrong line is not cut short, nor is a line that is not an object.
 */
function isCutShort(line: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    JSON.parse(line);
    return false;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return false;
    if (/end of JSON input/i.test(error.message)) return true;
    const position = /at position (\d+)/.exec(error.message);
    return position !== null && Number(position[1]) >= line.length;
  }
}

function parseLine(line: string, file: string, at: number): HistoryEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw invalid(file, at, "is not JSON", error);
  }
  const problem = entryProblem(value);
  if (problem !== null) throw invalid(file, at, problem);
  return value as HistoryEntry;
}

function invalid(file: string, line: number, problem: string, cause?: unknown): AvHealthError {
  return new AvHealthError(
    ErrorCodes.HISTORY_INVALID,
    `${file}:${line}: ${problem}; a history line is {evaluatedAt, snapshotDigest, deviceCount, gate, rules}. Fix or delete that line`,
    { cause, details: { file, line } },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;

/** Why the value is not an entry, or null. Keys beyond the contract are allowed: a later version may add some. */
export function entryProblem(value: unknown): string | null {
  if (!isRecord(value)) return "is not a JSON object";
  if (typeof value.evaluatedAt !== "string" || Number.isNaN(Date.parse(value.evaluatedAt))) return "evaluatedAt is not a timestamp";
  if (typeof value.snapshotDigest !== "string" || value.snapshotDigest === "") return "snapshotDigest is not a string";
  if (!isCount(value.deviceCount)) return "deviceCount is not a count";
  if (value.gate !== "pass" && value.gate !== "fail") return 'gate is not "pass" or "fail"';
  if (!isRecord(value.rules)) return "rules is not an object";
  for (const [id, rule] of Object.entries(value.rules)) {
    const problem = ruleProblem(rule);
    if (problem !== null) return `rules.${id}: ${problem}`;
  }
  return null;
}

function ruleProblem(rule: unknown): string | null {
  if (!isRecord(rule)) return "is not an object";
  if (typeof rule.status !== "string" || !STATUSES.has(rule.status)) return "status is not pass, fail, indeterminate or disabled";
  const r = rule as Partial<Record<keyof HistoryRule, unknown>>;
  if (typeof r.percent !== "number" || !(r.percent >= 0 && r.percent <= 100)) return "percent is not a number from 0 to 100";
  if (!isCount(r.counted)) return "counted is not a count";
  if (!isCount(r.failing)) return "failing is not a count";
  return null;
}
