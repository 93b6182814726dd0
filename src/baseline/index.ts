/** Baselines: an earlier report to compare an evaluation with (docs/rules.md, "Regression"). */
export { loadBaseline, parseBaseline } from "./load";
export { resolveComparisonPath } from "./resolve";
export type { PathChoice, PathSource, ResolvedPath } from "./resolve";
export type { Baseline, BaselineRule } from "./types";
export { NEWEST_REPORT_VERSION } from "./schema";
