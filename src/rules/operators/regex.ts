/**
 * `regex`: an ECMAScript pattern over the whole value (compiled once as `^(?:pattern)$` with the `u` flag,
 * case-sensitive on every field). Patterns that could backtrack catastrophically are refused at load time,
 * because JavaScript cannot interrupt a running match.
 */
import { MAX_REGEX_LENGTH, regexRisk } from "./regex-safety";
import { built, invalid, type OperatorDef } from "./types";
import { show } from "./values";

export const regex: OperatorDef = {
  name: "regex",
  kinds: ["string", "version"],
  nullAware: false,
  build(raw, spec) {
    if (typeof raw !== "string" || raw === "") return invalid("regex takes a non-empty pattern string");
    if (raw.length > MAX_REGEX_LENGTH) return invalid(`regex is ${raw.length} characters; the limit is ${MAX_REGEX_LENGTH}`);
    let compiled: RegExp;
    try {
      compiled = new RegExp(`^(?:${raw})$`, "u");
    } catch (error) {
      // V8 names the wrapped pattern ("/^(?:(x)$/u: Unterminated group"); the author only needs the reason.
      const reason = error instanceof Error ? (error.message.split(": ").pop() ?? error.message) : String(error);
      return invalid(`regex does not compile: ${reason}`);
    }
    const risk = regexRisk(raw);
    if (risk !== null) return invalid(`unsafe regex: ${risk}`);
    return built({
      holds: (value) => typeof value === "string" && compiled.test(value),
      explain: (value) => `${spec.field} ${show(value)} does not match /${raw}/`,
      text: `regex ${JSON.stringify(raw)}`,
    });
  },
};
