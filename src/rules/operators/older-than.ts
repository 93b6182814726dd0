/** `olderThan`: the time field is null (never happened) or before now - duration. */
import { built, invalid, type OperatorDef } from "./types";
import { DURATION_HINT, parseDuration, show } from "./values";

export const olderThan: OperatorDef = {
  name: "olderThan",
  kinds: ["time"],
  nullAware: true,
  build(raw, spec) {
    const duration = parseDuration(raw);
    if (duration === null) return invalid(`bad duration ${JSON.stringify(raw)}; ${DURATION_HINT}`);
    const read = spec.readers.timeOf(spec.field);
    return built({
      holds: (value, ctx) => {
        if (typeof value !== "string") return true;
        const ms = read(value);
        // An unparseable time says as little as a missing one, so it counts like null.
        return Number.isNaN(ms) || ms < ctx.nowMs - duration;
      },
      explain: (value) => `${spec.field} ${show(value)} is within ${String(raw)}`,
      text: `olderThan ${String(raw)}`,
    });
  },
};
