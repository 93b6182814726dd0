/**
 * Load-time problems: every mistake in a rule or case file is collected (never only the first) with its
 * position and JSON-like path, then thrown together as one AvHealthError whose message lists them all.
 */
import { AvHealthError, type ErrorCode } from "../../errors";

export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** e.g. `rules[2].require.avMode`; "(document)" for the file as a whole. */
  path: string;
  message: string;
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** Where a problem points: at a node's value, or at the key that introduces it (unknown keys, bad operators). */
export type Anchor = "value" | "key";

export interface Position {
  line: number;
  col: number;
}

export type Locator = (path: Path, anchor: Anchor) => Position;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(path: Path): string {
  if (path.length === 0) return "(document)";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.col} ${problem.path}: ${problem.message}`;
}

export class ProblemCollector {
  private readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly file: string,
    private readonly locate: Locator,
  ) {}

  add(path: Path, message: string, anchor: Anchor = "value"): void {
    this.addAt(this.locate(path, anchor), path, message);
  }

  /** Where a path points in the source (1-based). */
  position(path: Path, anchor: Anchor = "value"): Position {
    return this.locate(path, anchor);
  }

  /** A problem reported under `path` but positioned at another node (e.g. a field's misspelt operator key). */
  addFor(path: Path, locatePath: Path, anchor: Anchor, message: string): void {
    this.addAt(this.locate(locatePath, anchor), path, message);
  }

  addAt(position: Position, path: Path, message: string): void {
    const problem = { file: this.file, line: position.line, col: position.col, path: formatPath(path), message };
    const key = formatProblem(problem);
    // Two checks can notice the same mistake (ajv and the compiler); the author should read it once.
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(problem);
  }

  get size(): number {
    return this.problems.length;
  }

  /** In file order, so the listing reads top to bottom. */
  list(): Problem[] {
    return [...this.problems].sort((a, b) => a.line - b.line || a.col - b.col || compareText(a.path, b.path) || compareText(a.message, b.message));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ProblemsErrorOptions {
  code: ErrorCode;
  /** "rule file", "rule case file". */
  what: string;
  /** The next step, appended to the message. */
  hint: string;
  cause?: unknown;
}

export function problemsError(file: string, problems: Problem[], options: ProblemsErrorOptions): AvHealthError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map(formatProblem).join("\n");
  return new AvHealthError(options.code, `${options.what} ${file} has ${count}:\n${lines}\n${options.hint}`, {
    cause: options.cause,
    details: { file, problems },
  });
}
