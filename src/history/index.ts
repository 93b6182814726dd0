/** The evaluation history: one JSON line per evaluation, appended by `check --history` and the pack; read by `trend`. */
export { historyEntry, sameEvaluation, historyLine } from "./entry";
export { parseHistory, entryProblem } from "./parse";
export { readHistory, appendHistory } from "./file";
export { resolveHistoryPath, type HistoryPathSources, type HistoryPathChoice, type HistorySource } from "./resolve";
export type { HistoryEntry, HistoryRule, HistoryRead, HistoryAppend } from "./types";
