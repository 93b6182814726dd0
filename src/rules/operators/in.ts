/** `in`: the value is one of a list (compared like `eq`). */
import { parseMembership } from "./membership";
import { built, invalid, type OperatorDef } from "./types";
import { show } from "./values";

export const inOperator: OperatorDef = {
  name: "in",
  kinds: ["string", "enum", "tristate", "version", "number"],
  nullAware: false,
  build(raw, spec) {
    const list = parseMembership(raw, spec, "in");
    if (!list.ok) return invalid(list.message);
    const { domain, keys } = list;
    return built({
      holds: (value) => {
        const key = domain.key(value);
        return key !== null && keys.has(key);
      },
      explain: (value) =>
        domain.key(value) === null
          ? `${spec.field} ${show(value)} is not a dotted-numeric version`
          : `${spec.field} is ${show(value)}, expected one of ${list.shown}`,
      text: `in ${list.shown}`,
    });
  },
};
