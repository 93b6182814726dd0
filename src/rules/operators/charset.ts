/** Approximate character sets for regex-safety analysis: exact over ASCII, one flag for everything else. */
export class CharSet {
  private readonly ascii = new Uint32Array(4);
  private other = false;

  static all(): CharSet {
    const set = new CharSet();
    set.ascii.fill(0xffffffff);
    set.other = true;
    return set;
  }

  static of(text: string): CharSet {
    const set = new CharSet();
    for (const ch of text) set.addCode(ch.codePointAt(0) as number);
    return set;
  }

  /** The set an escape such as \d, \W or \n stands for (approximate for rare escapes: all characters). */
  static escape(letter: string): CharSet {
    const lower = letter.toLowerCase();
    const base =
      lower === "d" ? CharSet.range(48, 57) : lower === "w" ? CharSet.word() : lower === "s" ? CharSet.of(" \t\n\r\v\f") : null;
    if (base === null) {
      const literal: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v" };
      if (literal[letter] !== undefined) return CharSet.of(literal[letter] as string);
      if (/[A-Za-z0-9]/.test(letter)) return CharSet.all();
      return CharSet.of(letter);
    }
    if (letter === lower) return base;
    const negated = base.negate();
    return negated;
  }

  static range(from: number, to: number): CharSet {
    const set = new CharSet();
    for (let code = from; code <= Math.min(to, 127); code++) set.addCode(code);
    if (to > 127) set.other = true;
    return set;
  }

  private static word(): CharSet {
    return CharSet.range(48, 57).union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of("_"));
  }

  addCode(code: number): void {
    if (code > 127) this.other = true;
    else this.ascii[code >> 5] = (this.ascii[code >> 5] as number) | (1 << (code & 31));
  }

  union(other: CharSet): CharSet {
    const out = new CharSet();
    for (let i = 0; i < 4; i++) out.ascii[i] = (this.ascii[i] as number) | (other.ascii[i] as number);
    out.other = this.other || other.other;
    return out;
  }

  negate(): CharSet {
    const out = new CharSet();
    for (let i = 0; i < 4; i++) out.ascii[i] = ~(this.ascii[i] as number) >>> 0;
    out.other = true;
    return out;
  }

  intersects(other: CharSet): boolean {
    for (let i = 0; i < 4; i++) if (((this.ascii[i] as number) & (other.ascii[i] as number)) !== 0) return true;
    return this.other && other.other;
  }
}
