/**
 * Client-side check of an OData $filter before it is sent to /api/deviceavinfo, so that a typo costs no API
 * call and gets a precise message. Accepted (the Defender for Endpoint API documentation):
 *
 *   filter     := or ;  or := and ("or" and)* ;  and := primary ("and" primary)*
 *   primary    := "(" or ")" | FIELD ("eq" | "ne") literal
 *   literal    := 'quoted string' ('' is a quote) | integer (rbacGroupId only) | null
 *
 * FIELD is one of the 17 filterable fields, matched case-insensitively as the service does. Strings are
 * Edm.String and need quotes (`avMode eq '0'`); rbacGroupId is Edm.Int64 and takes an integer.
 */
import { AvHealthError, ErrorCodes } from "../errors";
import { FILTERABLE_FIELDS } from "../model/device";

const FIELD_BY_LOWER = new Map<string, string>(FILTERABLE_FIELDS.map((f) => [f.toLowerCase(), f]));
const INTEGER_FIELDS = new Set(["rbacGroupId"]);

type Token = { kind: "(" | ")" | "," | "string" | "number" | "word" | "end"; text: string; pos: number };

export function validateODataFilter(filter: string): void {
  const tokens = tokenize(filter);
  let i = 0;
  const peek = (): Token => tokens[i] as Token;
  const take = (): Token => tokens[i < tokens.length - 1 ? i++ : i] as Token;
  const isWord = (t: Token, word: string): boolean => t.kind === "word" && t.text === word;

  const parseOr = (): void => {
    parseAnd();
    while (isWord(peek(), "or")) {
      take();
      parseAnd();
    }
  };
  const parseAnd = (): void => {
    parsePrimary();
    while (isWord(peek(), "and")) {
      take();
      parsePrimary();
    }
  };
  const parsePrimary = (): void => {
    const t = take();
    if (t.kind === "(") {
      parseOr();
      const close = take();
      if (close.kind !== ")") fail(filter, close.pos, "a closing parenthesis is missing");
      return;
    }
    if (t.kind !== "word" || ["and", "or", "eq", "ne", "null"].includes(t.text)) {
      fail(filter, t.pos, "a field name was expected");
    }
    if (peek().kind === "(") fail(filter, t.pos, `functions such as ${t.text}() are not supported; use eq or ne`);
    const field = FIELD_BY_LOWER.get(t.text.toLowerCase());
    if (field === undefined) {
      fail(filter, t.pos, `"${t.text}" is not a filterable field; use one of ${FILTERABLE_FIELDS.join(", ")}`);
    }
    const op = take();
    if (!isWord(op, "eq") && !isWord(op, "ne")) fail(filter, op.pos, `only the operators eq and ne are supported, not "${op.text}"`);
    const value = take();
    if (isWord(value, "null")) return;
    if (INTEGER_FIELDS.has(field)) {
      if (value.kind !== "number") fail(filter, value.pos, `${field} takes an integer, for example ${field} eq 712`);
    } else if (value.kind !== "string") {
      fail(filter, value.pos, `${field} takes a quoted string, for example ${field} eq '0'`);
    }
  };

  if (peek().kind === "end") fail(filter, 0, "the filter is empty");
  parseOr();
  if (peek().kind !== "end") fail(filter, peek().pos, 'expected "and", "or" or the end of the filter');
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      // Commas are never valid, but tokenizing them lets `in (...)` and functions get the precise message.
      tokens.push({ kind: ch, text: ch, pos: i++ });
    } else if (ch === "'") {
      const start = i++;
      for (;;) {
        if (i >= filter.length) fail(filter, start, "a quoted string is not closed");
        if (filter[i] === "'" && filter[i + 1] === "'") i += 2;
        else if (filter[i++] === "'") break;
      }
      tokens.push({ kind: "string", text: filter.slice(start, i), pos: start });
    } else if (/[0-9-]/.test(ch)) {
      const match = /^-?[0-9]+(?![A-Za-z0-9_.])/.exec(filter.slice(i));
      if (match === null) fail(filter, i, "only integer numbers are supported");
      tokens.push({ kind: "number", text: match[0], pos: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(filter.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "word", text: match[0], pos: i });
      i += match[0].length;
    } else {
      fail(filter, i, `the character "${ch}" is not allowed here`);
    }
  }
  tokens.push({ kind: "end", text: "end of filter", pos: filter.length });
  return tokens;
}

function fail(filter: string, position: number, problem: string): never {
  throw new AvHealthError(
    ErrorCodes.ODATA_FILTER_INVALID,
    `Invalid --filter at position ${position + 1}: ${problem}.\n  ${filter}\n  ${" ".repeat(position)}^\n` +
      "Filters take the 17 filterable fields with eq/ne, and/or and parentheses, e.g. \"avMode eq '1' and osKind eq 'windows'\".",
    { details: { position } },
  );
}
