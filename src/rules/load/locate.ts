/**
 * Maps a JSON path back to the YAML node it came from, so every problem found on plain values (by ajv or by the
 * compiler) is reported at the line and column the author typed.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type ParsedNode } from "yaml";
import type { Anchor, Locator, Path, Position } from "./problems";

const START: Position = { line: 1, col: 1 };

export function yamlLocator(doc: Document.Parsed, lineCounter: LineCounter): Locator {
  const at = (node: Node | null | undefined): Position | null => {
    const offset = node?.range?.[0];
    return offset === undefined ? null : lineCounter.linePos(offset);
  };
  return (path: Path, anchor: Anchor): Position => {
    let node: ParsedNode | null = doc.contents;
    let best: Position = at(node) ?? START;
    for (let i = 0; i < path.length && node !== null; i++) {
      const segment = path[i] as string | number;
      const last = i === path.length - 1;
      if (isAlias(node)) node = (node.resolve(doc) as ParsedNode | undefined) ?? null;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) return best;
        const keyPosition = at(pair.key as Node);
        if (last && anchor === "key" && keyPosition !== null) return keyPosition;
        node = (pair.value as ParsedNode | null) ?? null;
        // An empty value (`require:`) has no text of its own; its key is the best place to point.
        const empty = node === null || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
        best = (empty ? keyPosition : at(node)) ?? keyPosition ?? best;
      } else if (isSeq(node) && typeof segment === "number") {
        node = (node.items[segment] as ParsedNode | undefined) ?? null;
        best = at(node) ?? best;
      } else {
        return best;
      }
    }
    return best;
  };
}

/** For text that never parsed into a document (too large, too deep): everything is at 1:1. */
export const startLocator: Locator = () => START;
