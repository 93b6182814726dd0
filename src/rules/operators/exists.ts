/** `exists`: true when the field is not null (or, with `exists: false`, when it is). Never UNKNOWN. */
import { built, invalid, type OperatorDef } from "./types";
import { show } from "./values";

export const exists: OperatorDef = {
  name: "exists",
  kinds: ["string", "enum", "tristate", "version", "time", "number"],
  nullAware: true,
  build(raw, spec) {
    if (typeof raw !== "boolean") return invalid("exists takes true or false (without quotes)");
    return built({
      holds: (value) => (value !== null) === raw,
      explain: (value) => (raw ? `${spec.field} is null` : `${spec.field} is set (${show(value)})`),
      text: `exists ${String(raw)}`,
    });
  },
};
