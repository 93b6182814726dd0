/**
 * Recursive-descent parser for $filter on /api/deviceavinfo:
 *
 *   filter     := or
 *   or         := and ("or" and)*
 *   and        := primary ("and" primary)*
 *   primary    := "(" or ")" | comparison
 *   comparison := FIELD ("eq" | "ne") literal
 *   literal    := 'string' | integer | null
 *
 * FIELD is one of the 17 documented filterable fields (name matched case-insensitively, as PSMDE's
 * `ComputerDNSName eq ...` shows); values compare case-sensitively (computerDnsName is case-sensitive here).
 * String fields take quoted literals and rbacGroupId an integer, as the Edm types require. Anything else is an
 * ODataSyntaxError that the route turns into 400 ODataError.
 */
import { FILTERABLE_FIELDS } from "../../model/device";
import { ODataSyntaxError, tokenize, type Token } from "./lexer";

export type FilterLiteral = string | number | null;

export type FilterNode =
  | { kind: "cmp"; field: string; op: "eq" | "ne"; value: FilterLiteral }
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode };

const FIELD_BY_LOWER = new Map<string, string>(FILTERABLE_FIELDS.map((f) => [f.toLowerCase(), f]));
const NUMERIC_FIELDS = new Set(["rbacGroupId"]);
const UNSUPPORTED_OPERATORS = new Set(["gt", "ge", "lt", "le", "has", "in", "not", "add", "sub", "mul", "div", "mod"]);

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === "word" && token.value === word;
  }

  parseFilter(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== "end") throw new ODataSyntaxError(`Syntax error at position ${rest.pos}: expected 'and', 'or' or the end of the filter.`, rest.pos);
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord(this.peek(), "or")) {
      this.take();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parsePrimary();
    while (this.isWord(this.peek(), "and")) {
      this.take();
      left = { kind: "and", left, right: this.parsePrimary() };
    }
    return left;
  }

  private parsePrimary(): FilterNode {
    const token = this.take();
    if (token.kind === "lparen") {
      const inner = this.parseOr();
      const close = this.take();
      if (close.kind !== "rparen") throw new ODataSyntaxError(`Syntax error at position ${close.pos}: ')' expected.`, close.pos);
      return inner;
    }
    if (token.kind !== "word") throw new ODataSyntaxError(`Syntax error at position ${token.pos}: a property name was expected.`, token.pos);
    if (this.peek().kind === "lparen") {
      throw new ODataSyntaxError(`The function '${token.value}' is not supported in $filter on this entity set.`, token.pos);
    }
    const field = FIELD_BY_LOWER.get(token.value.toLowerCase());
    if (field === undefined) {
      throw new ODataSyntaxError(`Could not filter by property '${token.value}': it does not exist or is not filterable.`, token.pos);
    }
    const op = this.take();
    if (op.kind !== "word" || (op.value !== "eq" && op.value !== "ne")) {
      const name = op.kind === "word" ? op.value : op.kind;
      const why = op.kind === "word" && UNSUPPORTED_OPERATORS.has(name) ? "is not supported" : "is not valid here";
      throw new ODataSyntaxError(`The operator '${name}' at position ${op.pos} ${why}; use eq or ne.`, op.pos);
    }
    return { kind: "cmp", field, op: op.value, value: this.parseLiteral(field) };
  }

  private parseLiteral(field: string): FilterLiteral {
    const token = this.take();
    if (this.isWord(token, "null")) return null;
    const numeric = NUMERIC_FIELDS.has(field);
    if (token.kind === "number" && numeric) return token.value;
    if (token.kind === "string" && !numeric) return token.value;
    if (token.kind === "number" || token.kind === "string") {
      const want = numeric ? "Edm.Int64" : "Edm.String";
      throw new ODataSyntaxError(`A binary operator with incompatible types was detected: '${field}' is ${want}.`, token.pos);
    }
    throw new ODataSyntaxError(`Syntax error at position ${token.pos}: a literal was expected after the operator.`, token.pos);
  }
}

export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parseFilter();
}

function compare(actual: unknown, expected: FilterLiteral): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return actual === expected;
}

export function matches(node: FilterNode, record: Record<string, unknown>): boolean {
  switch (node.kind) {
    case "and":
      return matches(node.left, record) && matches(node.right, record);
    case "or":
      return matches(node.left, record) || matches(node.right, record);
    case "cmp": {
      const equal = compare(record[node.field], node.value);
      return node.op === "eq" ? equal : !equal;
    }
  }
}
