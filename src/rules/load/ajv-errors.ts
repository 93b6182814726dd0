/**
 * ajv errors as located problems: the instancePath is turned back into a path of keys and indexes (so the
 * locator can find the YAML node) and each keyword gets a message that says what to write instead.
 */
import type { ErrorObject } from "ajv";
import { didYouMean } from "../compile/suggest";
import { DURATION_HINT, show } from "../operators/values";
import type { Path, PathSegment, ProblemCollector } from "./problems";
import { DURATION_PATTERN, RULE_ID_PATTERN } from "./schema";

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  object: "a map",
  array: "a list",
  "string,object,null": "a scope name or a selector map",
};

const PATTERN_MESSAGES: Readonly<Record<string, (value: unknown) => string>> = {
  [RULE_ID_PATTERN]: (value) =>
    `rule id ${JSON.stringify(value)} must be lower-case letters, digits and dashes, start with a letter or digit, and be at most 63 characters`,
  [DURATION_PATTERN]: (value) => `bad duration ${JSON.stringify(value)}; ${DURATION_HINT}`,
};

export function reportSchemaErrors(errors: readonly ErrorObject[], value: unknown, problems: ProblemCollector): void {
  const collapsed = collapseAnyOf(errors);
  // A value of the wrong type also fails its enum or const; the type is the one mistake to report.
  const wrongType = new Set(collapsed.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const error of collapsed) {
    if (error.keyword !== "type" && wrongType.has(error.instancePath)) continue;
    const path = toPath(error.instancePath, value);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "additionalProperties": {
        const key = String(params.additionalProperty);
        const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
        const allowed = Object.keys(properties);
        problems.add([...path, key], `unknown key "${key}"${didYouMean(key, allowed)}; allowed here: ${allowed.join(", ")}`, "key");
        break;
      }
      case "required":
        problems.add(path, `missing required key "${String(params.missingProperty)}"`);
        break;
      case "type": {
        const pattern = (error.parentSchema as { pattern?: string } | undefined)?.pattern;
        const hint = pattern === undefined ? undefined : PATTERN_MESSAGES[pattern];
        problems.add(path, hint ? hint(error.data) : typeMessage(path, params.type, error.data));
        break;
      }
      case "enum":
        problems.add(path, `${JSON.stringify(error.data)} is not allowed; use one of ${(params.allowedValues as unknown[]).map(show).join(", ")}`);
        break;
      case "const":
        problems.add(path, `unsupported version ${JSON.stringify(error.data)}; this file format is version: 1`);
        break;
      case "pattern": {
        const message = PATTERN_MESSAGES[String(params.pattern)];
        problems.add(path, message ? message(error.data) : `must match ${String(params.pattern)}`);
        break;
      }
      case "minimum":
      case "maximum":
        problems.add(path, rangeMessage(error));
        break;
      case "minItems":
        problems.add(path, path.length === 1 && path[0] === "rules" ? "at least one rule is required" : `must list at least ${String(params.limit)} item(s)`);
        break;
      case "minLength":
        problems.add(path, "must not be empty");
        break;
      case "anyOf":
        problems.add(path, (error.parentSchema as { description?: string } | undefined)?.description ?? "does not match any allowed shape");
        break;
      default:
        problems.add(path, error.message ?? `fails schema keyword ${error.keyword}`);
    }
  }
}

/**
 * An anyOf failure reports every branch's errors. Keep only the branch whose type matched the value (its
 * errors are the useful ones, e.g. an unknown key in a map); when no single branch matched, keep the summary.
 */
function collapseAnyOf(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  for (const anyOf of errors.filter((error) => error.keyword === "anyOf")) {
    const branches = new Map<string, ErrorObject[]>();
    for (const error of kept) {
      const match = error.schemaPath.startsWith(`${anyOf.schemaPath}/`) ? /^\/(\d+)\//.exec(error.schemaPath.slice(anyOf.schemaPath.length)) : null;
      if (match !== null) branches.set(match[1] as string, [...(branches.get(match[1] as string) ?? []), error]);
    }
    const wrongType = (list: ErrorObject[]) => list.some((e) => e.keyword === "type" && e.instancePath === anyOf.instancePath);
    const matching = [...branches.values()].filter((list) => !wrongType(list));
    const dropped = new Set([...branches.values()].flat());
    if (matching.length === 1) {
      for (const error of matching[0] as ErrorObject[]) dropped.delete(error);
      dropped.add(anyOf);
    }
    kept = kept.filter((error) => !dropped.has(error));
  }
  return kept;
}

function typeMessage(path: Path, expected: unknown, data: unknown): string {
  if (path.length === 0 && (data === null || data === undefined)) return "the file is empty; start with version: 1 and a rules: list";
  const name = TYPE_NAMES[String(expected)] ?? String(expected);
  return `expected ${name}, got ${describe(data)}`;
}

function describe(data: unknown): string {
  if (data === null || data === undefined) return "nothing";
  if (Array.isArray(data)) return "a list";
  if (typeof data === "object") return "a map";
  return `${typeof data} ${JSON.stringify(data)}`;
}

function rangeMessage(error: ErrorObject): string {
  const schema = error.parentSchema as { minimum?: number; maximum?: number } | undefined;
  const got = JSON.stringify(error.data);
  if (schema?.minimum !== undefined && schema.maximum !== undefined) return `must be between ${schema.minimum} and ${schema.maximum}, got ${got}`;
  if (schema?.minimum !== undefined) return `must be ${schema.minimum} or more, got ${got}`;
  return `must be ${String(schema?.maximum)} or less, got ${got}`;
}

/** "/rules/2/require" → ["rules", 2, "require"], with indexes only where the value really is a list. */
export function toPath(pointer: string, root: unknown): Path {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}
