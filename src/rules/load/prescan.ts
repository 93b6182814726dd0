/**
 * A lexical look at nesting before the YAML parser runs. The parser recurses per nesting level, so a 1 MiB file
 * of `[[[[...` takes seconds and ends in a stack overflow; this scan rejects it in milliseconds. It is a
 * heuristic (it only needs to be right for files that nest far deeper than any real rule file), so it counts
 * flow brackets that open a node and block sequence dashes that open on the same line.
 */
import type { Position } from "./problems";

export const MAX_TEXT_NESTING = 100;

export interface NestingViolation {
  position: Position;
  depth: number;
}

/** Characters after which a `[` or `{` starts a flow collection rather than sitting inside a plain scalar. */
const NODE_START = new Set([":", ",", "[", "{", "-", "?", ""]);

export function findExcessiveNesting(text: string, limit = MAX_TEXT_NESTING): NestingViolation | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let previous = ""; // last non-space character on this line, "" at line start
  let quote: '"' | "'" | null = null;
  let dashes = 0;
  let onlyDashesSoFar = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\n") {
      // Quoted scalars may span lines, so `quote` carries over.
      line++;
      lineStart = i + 1;
      previous = "";
      dashes = 0;
      onlyDashesSoFar = true;
      continue;
    }
    if (quote !== null) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === " " || ch === "\t") continue;
    if (ch === "#" && (previous === "" || /\s/.test(text[i - 1] ?? " "))) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end - 1;
      continue;
    }
    if ((ch === '"' || ch === "'") && NODE_START.has(previous)) {
      quote = ch;
      previous = ch;
      continue;
    }
    if (ch === "-" && onlyDashesSoFar && (text[i + 1] === " " || text[i + 1] === "\n" || i + 1 === text.length)) {
      dashes++;
      if (dashes > limit) return { position: { line, col: i - lineStart + 1 }, depth: dashes };
      previous = "-";
      continue;
    }
    onlyDashesSoFar = false;
    if ((ch === "[" || ch === "{") && NODE_START.has(previous)) {
      depth++;
      if (depth > limit) return { position: { line, col: i - lineStart + 1 }, depth };
    } else if ((ch === "]" || ch === "}") && depth > 0) {
      depth--;
    }
    previous = ch;
  }
  return null;
}
