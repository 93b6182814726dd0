/** The shared body of gt/gte/lt/lte: compare by the field's kind and explain with the actual relation. */
import { orderedDomain } from "./domains";
import { built, invalid, type OperatorDef, type OperatorName } from "./types";
import { show } from "./values";

const NOT_COMPARABLE: Readonly<Record<string, string>> = {
  version: "is not a dotted-numeric version",
  time: "is not a valid timestamp",
  number: "is not a number",
};

export function orderedOperator(name: OperatorName, accept: (sign: number) => boolean): OperatorDef {
  return {
    name,
    kinds: ["version", "time", "number"],
    nullAware: false,
    build(raw, spec) {
      const domain = orderedDomain(spec);
      const expected = domain.parse(raw);
      if (!expected.ok) return invalid(expected.message);
      const target = expected.value;
      return built({
        holds: (value) => {
          const sign = domain.compare(value, target);
          return sign !== null && accept(sign);
        },
        explain: (value) => {
          const sign = domain.compare(value, target);
          if (sign === null) return `${spec.field} ${show(value)} ${NOT_COMPARABLE[spec.kind] ?? "cannot be compared"}`;
          const relation = sign < 0 ? "<" : sign > 0 ? ">" : "=";
          return `${spec.field} ${show(value)} ${relation} ${expected.shown}`;
        },
        text: `${name} ${JSON.stringify(raw)}`,
      });
    },
  };
}
