/**
 * Untrusted YAML to plain values, for rule files and rule case files alike. Hostile input gets one clear
 * error before it can cost time or memory: the size is checked before parsing, nesting before the parser
 * recurses, keys that could reach Object.prototype and duplicate keys before conversion, and alias expansion
 * is capped during conversion.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { ErrorCode } from "../../errors";
import { yamlLocator, startLocator } from "./locate";
import { findExcessiveNesting, MAX_TEXT_NESTING } from "./prescan";
import { ProblemCollector, problemsError, type Locator, type Path, type Position } from "./problems";

export const MAX_FILE_BYTES = 1024 * 1024;
/** Real rule files use a handful of anchors at most; this stops billion-laughs expansion early. */
export const MAX_ALIAS_COUNT = 50;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export interface YamlSource {
  value: unknown;
  locate: Locator;
}

export interface ParseOptions {
  invalidCode: ErrorCode;
  tooLargeCode: ErrorCode;
  what: string;
  hint: string;
}

export function parseYamlSource(text: string, file: string, options: ParseOptions): YamlSource {
  const fail = (problems: ProblemCollector, cause?: unknown): never => {
    throw problemsError(file, problems.list(), { code: options.invalidCode, what: options.what, hint: options.hint, cause });
  };
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_FILE_BYTES) {
    const problems = new ProblemCollector(file, startLocator);
    problems.add([], `file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES} bytes (1 MiB). Split it or remove unused entries`);
    throw problemsError(file, problems.list(), { ...options, code: options.tooLargeCode });
  }
  const deep = findExcessiveNesting(text);
  if (deep !== null) {
    const problems = new ProblemCollector(file, startLocator);
    problems.addAt(deep.position, [], `nesting deeper than ${MAX_TEXT_NESTING} levels; flatten the structure`);
    fail(problems);
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  const locate = yamlLocator(doc, lineCounter);
  const problems = new ProblemCollector(file, locate);
  for (const issue of [...doc.errors, ...doc.warnings]) {
    const position = lineCounter.linePos(issue.pos[0]);
    const message = /call stack/i.test(issue.message) ? "nesting too deep for the YAML parser; flatten the structure" : `YAML: ${firstLine(issue.message)}`;
    problems.addAt(position, [], message);
  }
  if (problems.size > 0) fail(problems);

  checkKeys(doc.contents, [], problems, (offset) => lineCounter.linePos(offset));
  if (problems.size > 0) fail(problems);

  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown, locate };
  } catch (error) {
    problems.add([], `too many alias expansions (limit ${MAX_ALIAS_COUNT}); write the values out instead of nesting aliases`);
    return fail(problems, error);
  }
}

/** Keys must be plain strings, unique within their map, and never prototype names. Aliases are not followed. */
function checkKeys(node: Node | null, path: Path, problems: ProblemCollector, positionAt: (offset: number) => Position): void {
  if (node === null || isAlias(node)) return;
  if (path.length > MAX_TEXT_NESTING) {
    problems.add(path, `nesting deeper than ${MAX_TEXT_NESTING} levels; flatten the structure`);
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((item, index) => checkKeys(item as Node | null, [...path, index], problems, positionAt));
    return;
  }
  if (!isMap(node)) return;
  const firstSeen = new Map<string, number>();
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || typeof key.value !== "string") {
      const shown = isScalar(key) ? JSON.stringify(key.value) : "a collection";
      problems.add(path, `keys must be strings, found ${shown}; quote the key`);
      continue;
    }
    const name = key.value;
    const keyPath = [...path, name];
    // Positioned from the key node itself: a path lookup would find the first of two duplicate keys.
    const at = positionAt(key.range?.[0] ?? 0);
    if (FORBIDDEN_KEYS.has(name)) {
      problems.addAt(at, keyPath, `"${name}" is never a valid key`);
      continue;
    }
    const earlier = firstSeen.get(name);
    if (earlier !== undefined) {
      problems.addAt(at, keyPath, `duplicate key "${name}" (first at line ${earlier}); keep one`);
      continue;
    }
    firstSeen.set(name, at.line);
    checkKeys(pair.value as Node | null, keyPath, problems, positionAt);
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
