/** `eq` (and the `field: scalar` shorthand): equal by the field's kind; versions equal as versions. */
import { equalityDomain } from "./domains";
import { built, invalid, type OperatorDef } from "./types";
import { show, showLiteral } from "./values";

export const eq: OperatorDef = {
  name: "eq",
  kinds: ["string", "enum", "tristate", "version", "number"],
  nullAware: false,
  build(raw, spec) {
    const domain = equalityDomain(spec);
    const expected = domain.parse(raw);
    if (!expected.ok) return invalid(expected.message);
    const key = expected.value;
    return built({
      holds: (value) => domain.key(value) === key,
      explain: (value) =>
        domain.key(value) === null
          ? `${spec.field} ${show(value)} is not a dotted-numeric version`
          : `${spec.field} is ${show(value)}, expected ${expected.shown}`,
      text: `eq ${showLiteral(raw)}`,
    });
  },
};
