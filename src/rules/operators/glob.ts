/**
 * `glob`: `*` (any run) and `?` (any one character) over the whole value; computerDnsName case-insensitive.
 * Matched with the linear-backtracking wildcard algorithm rather than a generated regex, so no pattern can
 * make a device name take exponential time.
 */
import { built, invalid, type OperatorDef } from "./types";
import { show } from "./values";

export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c === 42 /* * */) {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (starP !== -1) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

export const glob: OperatorDef = {
  name: "glob",
  kinds: ["string", "version"],
  nullAware: false,
  build(raw, spec) {
    if (typeof raw !== "string" || raw === "") return invalid('glob takes a non-empty pattern string, e.g. glob: "Prod-*"');
    const fold = spec.foldCase;
    const pattern = fold ? raw.toLowerCase() : raw;
    return built({
      holds: (value) => typeof value === "string" && globMatch(pattern, fold ? value.toLowerCase() : value),
      explain: (value) => `${spec.field} ${show(value)} does not match ${JSON.stringify(raw)}`,
      text: `glob ${JSON.stringify(raw)}`,
    });
  },
};
