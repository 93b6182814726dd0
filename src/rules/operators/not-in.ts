/** `notIn`: the value is none of a list. False on null, like every comparison except exists/olderThan. */
import { parseMembership } from "./membership";
import { built, invalid, type OperatorDef } from "./types";
import { show } from "./values";

export const notIn: OperatorDef = {
  name: "notIn",
  kinds: ["string", "enum", "tristate", "version", "number"],
  nullAware: false,
  build(raw, spec) {
    const list = parseMembership(raw, spec, "notIn");
    if (!list.ok) return invalid(list.message);
    const { domain, keys } = list;
    return built({
      holds: (value) => {
        const key = domain.key(value);
        return key !== null && !keys.has(key);
      },
      explain: (value) =>
        domain.key(value) === null
          ? `${spec.field} ${show(value)} is not a dotted-numeric version`
          : `${spec.field} is ${show(value)}, which is one of the excluded ${list.shown}`,
      text: `notIn ${list.shown}`,
    });
  },
};
