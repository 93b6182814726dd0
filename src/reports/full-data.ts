/**
 * Renderers cap their device lists; the JSON and CSV reports list every device. A capped list points at those
 * files only when they are written beside it (EvaluationResult.reportFiles), never at a file that is not there.
 */
import type { EvaluationResult } from "../report-model/types";
import { REPORT_FILE_NAMES } from "./formats";

const FULL_LIST_FILES = [REPORT_FILE_NAMES.json, REPORT_FILE_NAMES["json.gz"], REPORT_FILE_NAMES.csv] as const;

/** The written report files that list every failing device, JSON first; none when the caller did not say. */
export function fullDataFiles(result: Pick<EvaluationResult, "reportFiles">): string[] {
  const written = result.reportFiles;
  return written === undefined ? [] : FULL_LIST_FILES.filter((file) => written.includes(file));
}

/** "all of them are in avhealth-report.json and avhealth-report.csv", or which formats would list them. */
export function fullDataNote(result: Pick<EvaluationResult, "reportFiles">): string {
  const files = fullDataFiles(result);
  return files.length === 0 ? "the json and csv report formats list all of them" : `all of them are in ${files.join(" and ")}`;
}
