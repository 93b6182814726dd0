/** `within`: the time field is set and at or after now - duration; a never-run scan fails it. */
import { built, invalid, type OperatorDef } from "./types";
import { DURATION_HINT, parseDuration, show } from "./values";

export const within: OperatorDef = {
  name: "within",
  kinds: ["time"],
  nullAware: false,
  build(raw, spec) {
    const duration = parseDuration(raw);
    if (duration === null) return invalid(`bad duration ${JSON.stringify(raw)}; ${DURATION_HINT}`);
    const read = spec.readers.timeOf(spec.field);
    return built({
      holds: (value, ctx) => typeof value === "string" && read(value) >= ctx.nowMs - duration,
      explain: (value) =>
        Number.isNaN(read(String(value)))
          ? `${spec.field} ${show(value)} is not a valid timestamp`
          : `${spec.field} ${show(value)} is older than ${String(raw)}`,
      text: `within ${String(raw)}`,
    });
  },
};
