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

/**
 * The common shapes (`Prod-*`, `*.contoso.com`, `*lab*`, a bare name) as one string method call; anything
 * else goes through globMatch. Same answers either way, as the table test checks.
 */
export function globMatcher(pattern: string): (text: string) => boolean {
  if (pattern.includes("?")) return (text) => globMatch(pattern, text);
  const parts = pattern.split("*");
  if (parts.length === 1) return (text) => text === pattern;
  const [head, tail] = [parts[0] as string, parts[parts.length - 1] as string];
  const middle = parts.slice(1, -1).filter((part) => part !== "");
  if (middle.length === 0 && head === "") return (text) => text.endsWith(tail);
  if (middle.length === 0 && tail === "") return (text) => text.startsWith(head);
  if (middle.length === 1 && head === "" && tail === "") {
    const needle = middle[0] as string;
    return (text) => text.includes(needle);
  }
  if (middle.length === 0) return (text) => text.length >= head.length + tail.length && text.startsWith(head) && text.endsWith(tail);
  return (text) => globMatch(pattern, text);
}

export const glob: OperatorDef = {
  name: "glob",
  kinds: ["string", "version"],
  nullAware: false,
  build(raw, spec) {
    if (typeof raw !== "string" || raw === "") return invalid('glob takes a non-empty pattern string, e.g. glob: "Prod-*"');
    const fold = spec.foldCase;
    const matches = globMatcher(fold ? raw.toLowerCase() : raw);
    return built({
      holds: (value) => typeof value === "string" && matches(fold ? value.toLowerCase() : value),
      explain: (value) => `${spec.field} ${show(value)} does not match ${JSON.stringify(raw)}`,
      text: `glob ${JSON.stringify(raw)}`,
    });
  },
};
