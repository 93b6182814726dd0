/**
 * Tokenizer for the OData $filter subset /api/deviceavinfo accepts. Positions are kept so that a 400 ODataError
 * can say where the problem is, as the real service does.
 */
export type Token =
  | { kind: "lparen"; pos: number }
  | { kind: "rparen"; pos: number }
  | { kind: "comma"; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "word"; value: string; pos: number }
  | { kind: "end"; pos: number };

export class ODataSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "ODataSyntaxError";
  }
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
    } else if (ch === "(") {
      tokens.push({ kind: "lparen", pos: i++ });
    } else if (ch === ")") {
      tokens.push({ kind: "rparen", pos: i++ });
    } else if (ch === ",") {
      // Only so that `in (...)` and function calls get a precise "not supported" error from the parser.
      tokens.push({ kind: "comma", pos: i++ });
    } else if (ch === "'") {
      const start = i++;
      let value = "";
      for (;;) {
        if (i >= text.length) throw new ODataSyntaxError(`Unterminated string literal at position ${start}.`, start);
        const c = text[i] as string;
        if (c === "'") {
          // '' inside a literal is one quote (OData ABNF SQUOTE-in-string).
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: "string", value, pos: start });
    } else if (DIGIT.test(ch) || (ch === "-" && DIGIT.test(text[i + 1] ?? ""))) {
      const start = i++;
      while (i < text.length && DIGIT.test(text[i] as string)) i++;
      if (i < text.length && WORD_PART.test(text[i] as string)) {
        throw new ODataSyntaxError(`Invalid numeric literal at position ${start}; only integers are supported.`, start);
      }
      tokens.push({ kind: "number", value: Number(text.slice(start, i)), pos: start });
    } else if (WORD_START.test(ch)) {
      const start = i++;
      while (i < text.length && WORD_PART.test(text[i] as string)) i++;
      tokens.push({ kind: "word", value: text.slice(start, i), pos: start });
    } else {
      throw new ODataSyntaxError(`Syntax error: character '${ch}' at position ${i} is not valid in $filter.`, i);
    }
  }
  tokens.push({ kind: "end", pos: text.length });
  return tokens;
}
