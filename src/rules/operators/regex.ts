/**
 * `regex`: an RE2 pattern over the whole value, case-sensitive on every field. RE2 (the `re2js` port) matches
 * in time linear in the value's length whatever the pattern, so no pattern can hang an evaluation: there is
 * no backtracking to screen for, and `(ab|ac)*` is as safe as any other. RE2 leaves out what needs
 * backtracking (lookaround, backreferences); such a pattern is a load-time error.
 */
import { RE2JS } from "re2js";
import { built, invalid, type OperatorDef } from "./types";
import { show } from "./values";

/** Keeps rule files readable and bounds the compiled program's size. */
export const MAX_REGEX_LENGTH = 200;

export const regex: OperatorDef = {
  name: "regex",
  kinds: ["string", "version"],
  nullAware: false,
  build(raw, spec) {
    if (typeof raw !== "string" || raw === "") return invalid("regex takes a non-empty pattern string");
    if (raw.length > MAX_REGEX_LENGTH) return invalid(`regex is ${raw.length} characters; the limit is ${MAX_REGEX_LENGTH}`);
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(raw);
    } catch (error) {
      // re2js says "error parsing regexp: missing closing ): `(x`"; the prefix repeats what the caller says.
      const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
      return invalid(`regex is not valid RE2 syntax: ${reason}`);
    }
    return built({
      // matches() anchors at both ends: the whole value must match, as with glob.
      holds: (value) => typeof value === "string" && compiled.matches(value),
      explain: (value) => `${spec.field} ${show(value)} does not match /${raw}/`,
      text: `regex ${JSON.stringify(raw)}`,
    });
  },
};
