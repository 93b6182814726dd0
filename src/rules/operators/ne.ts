/** `ne`: not equal by the field's kind. Like every comparison it is false on null (rules-v1.md). */
import { equalityDomain } from "./domains";
import { built, invalid, type OperatorDef } from "./types";
import { show, showLiteral } from "./values";

export const ne: OperatorDef = {
  name: "ne",
  kinds: ["string", "enum", "tristate", "version", "number"],
  nullAware: false,
  build(raw, spec) {
    const domain = equalityDomain(spec);
    const expected = domain.parse(raw);
    if (!expected.ok) return invalid(expected.message);
    const key = expected.value;
    return built({
      holds: (value) => {
        const actual = domain.key(value);
        return actual !== null && actual !== key;
      },
      explain: (value) =>
        domain.key(value) === null
          ? `${spec.field} ${show(value)} is not a dotted-numeric version`
          : `${spec.field} is ${show(value)}, which is not allowed`,
      text: `ne ${showLiteral(raw)}`,
    });
  },
};
