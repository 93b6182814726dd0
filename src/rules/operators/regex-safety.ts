/**
 * Load-time screening of `regex` patterns for catastrophic backtracking. It parses the (already compiled,
 * so syntactically valid) pattern into first-character sets and refuses a repeated part that
 *  - itself contains a repeated part: nested quantifiers such as (a+)+ or (a*)*;
 *  - holds alternatives that can start with the same character: (a|a)*, (\w|\d)+;
 *  - can match the empty string: (a?)*.
 * It is deliberately conservative: a refused pattern can always be rewritten, a hung evaluation cannot be stopped.
 */
import { CharSet } from "./charset";

export const MAX_REGEX_LENGTH = 200;
/** A bounded repeat above this counts as unbounded: (a+){1,50} is as dangerous as (a+)+. */
const MAX_SAFE_BOUND = 10;

interface Info {
  first: CharSet;
  nullable: boolean;
  /** Contains a repeating quantifier. */
  repeats: boolean;
  /** Contains an alternation whose branches can start alike. */
  ambiguous: boolean;
}

const ZERO_WIDTH = (): Info => ({ first: new CharSet(), nullable: true, repeats: false, ambiguous: false });
const atom = (first: CharSet): Info => ({ first, nullable: false, repeats: false, ambiguous: false });

/** A sentence saying why the pattern is unsafe, or null when it passes. */
export function regexRisk(source: string): string | null {
  const analyzer = new Analyzer(source);
  analyzer.alternation();
  return analyzer.risk;
}

class Analyzer {
  private pos = 0;
  risk: string | null = null;

  constructor(private readonly src: string) {}

  alternation(): Info {
    const branches: Info[] = [this.sequence()];
    while (this.src[this.pos] === "|") {
      this.pos++;
      branches.push(this.sequence());
    }
    let first = new CharSet();
    let ambiguous = false;
    for (const [i, branch] of branches.entries()) {
      for (const earlier of branches.slice(0, i)) if (earlier.first.intersects(branch.first)) ambiguous = true;
      first = first.union(branch.first);
    }
    return {
      first,
      nullable: branches.some((b) => b.nullable),
      repeats: branches.some((b) => b.repeats),
      ambiguous: ambiguous || branches.some((b) => b.ambiguous),
    };
  }

  private sequence(): Info {
    const info: Info = ZERO_WIDTH();
    while (this.pos < this.src.length && this.src[this.pos] !== "|" && this.src[this.pos] !== ")") {
      const item = this.quantified(this.atom());
      if (info.nullable) info.first = info.first.union(item.first);
      info.nullable = info.nullable && item.nullable;
      info.repeats ||= item.repeats;
      info.ambiguous ||= item.ambiguous;
    }
    return info;
  }

  private quantified(inner: Info): Info {
    const bounds = this.quantifier();
    if (bounds === null) return inner;
    const [min, max] = bounds;
    if (this.src[this.pos] === "?") this.pos++; // lazy: same backtracking space
    const repeating = max > MAX_SAFE_BOUND;
    if (repeating && this.risk === null) {
      if (inner.repeats) this.risk = "nested quantifiers such as (a+)+ can take exponential time; remove the inner or the outer repeat";
      else if (inner.ambiguous) this.risk = "repeated alternatives that can match the same text, such as (a|a)*; make each alternative start differently";
      else if (inner.nullable) this.risk = "a repeated part that can match the empty string, such as (a?)*; make it match at least one character";
    }
    return { first: inner.first, nullable: inner.nullable || min === 0, repeats: inner.repeats || repeating, ambiguous: inner.ambiguous };
  }

  private quantifier(): [number, number] | null {
    const ch = this.src[this.pos];
    if (ch === "*" || ch === "+" || ch === "?") {
      this.pos++;
      return ch === "*" ? [0, Infinity] : ch === "+" ? [1, Infinity] : [0, 1];
    }
    const brace = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (brace === null) return null;
    this.pos += brace[0].length;
    const min = Number(brace[1]);
    const max = brace[2] === undefined ? min : brace[3] === "" ? Infinity : Number(brace[3]);
    return [min, max];
  }

  private atom(): Info {
    const ch = this.src[this.pos++] as string;
    if (ch === "\\") return this.escape();
    if (ch === "[") return atom(this.characterClass());
    if (ch === ".") return atom(CharSet.all());
    if (ch === "^" || ch === "$") return ZERO_WIDTH();
    if (ch === "(") return this.group();
    const code = this.src.codePointAt(this.pos - 1) as number;
    if (code > 0xffff) this.pos++;
    return atom(CharSet.of(String.fromCodePoint(code)));
  }

  private group(): Info {
    const lookaround = /^\?<?[=!]/.exec(this.src.slice(this.pos));
    const named = /^\?<[A-Za-z_$][\w$]*>/.exec(this.src.slice(this.pos));
    if (lookaround !== null) this.pos += lookaround[0].length;
    else if (named !== null) this.pos += named[0].length;
    else if (this.src.startsWith("?:", this.pos)) this.pos += 2;
    const inner = this.alternation();
    this.pos++; // ")"
    return lookaround !== null ? { ...ZERO_WIDTH(), repeats: inner.repeats, ambiguous: inner.ambiguous } : inner;
  }

  private escape(): Info {
    const letter = this.src[this.pos++] as string;
    if (letter === "b" || letter === "B") return ZERO_WIDTH();
    if (/[1-9]/.test(letter) || letter === "k") {
      // A backreference can match anything its group matched, including nothing.
      this.skipWhile(letter === "k" ? /[^>]/ : /\d/, letter === "k");
      return { first: CharSet.all(), nullable: true, repeats: false, ambiguous: false };
    }
    return atom(this.escapeSet(letter));
  }

  private escapeSet(letter: string): CharSet {
    if (letter === "p" || letter === "P" || letter === "u" || letter === "x" || letter === "c") {
      if (this.src[this.pos] === "{") this.skipWhile(/[^}]/, true);
      else this.pos += letter === "u" ? 4 : letter === "x" ? 2 : letter === "c" ? 1 : 0;
      return CharSet.all();
    }
    return CharSet.escape(letter);
  }

  private characterClass(): CharSet {
    let negated = false;
    if (this.src[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    let set = new CharSet();
    let previous: number | null = null;
    while (this.pos < this.src.length && this.src[this.pos] !== "]") {
      const ch = this.src[this.pos++] as string;
      if (ch === "\\") {
        set = set.union(this.escapeSet(this.src[this.pos++] as string));
        previous = null;
      } else if (ch === "-" && previous !== null && this.src[this.pos] !== "]") {
        const to = this.src.codePointAt(this.pos) as number;
        this.pos += to > 0xffff ? 2 : 1;
        set = set.union(CharSet.range(previous, to));
        previous = null;
      } else {
        previous = this.src.codePointAt(this.pos - 1) as number;
        if (previous > 0xffff) this.pos++;
        set = set.union(CharSet.of(String.fromCodePoint(previous)));
      }
    }
    this.pos++; // "]"
    return negated ? set.negate() : set;
  }

  private skipWhile(pattern: RegExp, andOneMore: boolean): void {
    while (this.pos < this.src.length && pattern.test(this.src[this.pos] as string)) this.pos++;
    if (andOneMore) this.pos++;
  }
}
