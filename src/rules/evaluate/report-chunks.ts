/**
 * The JSON report as a sequence of chunks whose concatenation is exactly serializeReport's text (JSON.stringify
 * with two-space indentation of the canonical report). A million-device report is ~160 MB of text: building it
 * as one string, then its UTF-8 copy for the file, held over 500 MB at once; chunks let the writer stream it.
 *
 * Nested JSON.stringify output is the standalone output with every line after the first indented by the depth,
 * and JSON strings never contain a raw newline, so small values (a device, a count map) are stringified whole
 * and re-indented; only objects and arrays holding objects are walked.
 */
export function* jsonChunks(value: unknown, indent = ""): Generator<string> {
  if (value instanceof ChunkedJson) {
    yield* value.chunks(indent);
    return;
  }
  if (!isContainer(value) || isFlat(value)) {
    yield indentLines(JSON.stringify(value, null, 2), indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield "[\n";
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* jsonChunks(value[i] === undefined ? null : value[i], inner);
      yield i === value.length - 1 ? "\n" : ",\n";
    }
    yield `${indent}]`;
    return;
  }
  // JSON.stringify leaves out keys whose value is undefined (or a function); so does this.
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
  if (entries.length === 0) {
    yield "{}";
    return;
  }
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i] as [string, unknown];
    yield `${inner}${JSON.stringify(key)}: `;
    yield* jsonChunks(v, inner);
    yield i === entries.length - 1 ? "\n" : ",\n";
  }
  yield `${indent}}`;
}

/**
 * A value that writes its own JSON text (the same text JSON.stringify would give at that depth), so a large list
 * can be serialized straight from the objects the evaluation holds instead of from a canonical copy of each.
 */
export abstract class ChunkedJson {
  abstract chunks(indent: string): Generator<string>;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** No element or property is itself a non-empty object or array: cheap to stringify in one go. */
function isFlat(value: object): boolean {
  const items: unknown[] = Array.isArray(value) ? value : Object.values(value);
  if (items.length === 0) return true;
  for (const item of items) if (item instanceof ChunkedJson || (isContainer(item) && !isFlatLeaf(item))) return false;
  // A long array of small objects (failing devices) is walked so that no single chunk grows with the fleet.
  return !Array.isArray(value) || items.length <= 64 || !items.some(isContainer);
}

function isFlatLeaf(value: object): boolean {
  const items: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return items.every((item) => !isContainer(item));
}

function indentLines(text: string, indent: string): string {
  return indent === "" || !text.includes("\n") ? text : text.replace(/\n/g, `\n${indent}`);
}
