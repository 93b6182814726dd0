/**
 * Writes the report files into the report directory. Each file is written under a temporary name in the same
 * directory and renamed into place, so a CI step or a browser that reads the directory meanwhile sees either
 * the previous file or the whole new one, never half of one.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";
import type { EvaluationResult } from "../report-model/types";
import { csvLines } from "./csv";
import { isJsonFormat, REPORT_FILE_NAMES, type ReportFormat } from "./formats";
import { renderReport } from "./render";
import { writeTextFile, type TextCompression } from "./text-file";

export interface WriteReportsOptions {
  /** Created (with parents) when missing. */
  dir: string;
  formats: readonly ReportFormat[];
  /**
   * The JSON report exactly as the rules engine serialized it (serializeReport), written as is so the project
   * has one JSON serializer. Required when formats include "json" or "json.gz". A function returning chunks
   * (serializeReportChunks) streams a large report to the file instead of holding it as one string.
   */
  jsonText?: string | (() => Iterable<string>);
}

/** Reports list devices: owner-only, and a temp file is always new (never written through a planted file or link). */
const PRIVATE_NEW_FILE = { encoding: "utf8", flag: "wx", mode: 0o600 } as const;

async function writeCsv(file: string, result: EvaluationResult): Promise<void> {
  await writeTextFile(file, csvLines(result));
}

async function writeJson(file: string, json: NonNullable<WriteReportsOptions["jsonText"]>, compression: TextCompression): Promise<void> {
  if (typeof json === "string" && compression === "none") await fs.writeFile(file, json, PRIVATE_NEW_FILE);
  else await writeTextFile(file, typeof json === "string" ? [json] : json(), compression);
}

async function writeAtomically(target: string, write: (temp: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  try {
    await write(temp);
    await fs.rename(temp, target);
  } catch (error) {
    // Leave no temporary file behind; the write error is what the caller needs to see, not a cleanup error.
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw writeError(target, error);
  }
}

function writeError(target: string, cause: unknown): AvHealthError {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String((cause as { code: unknown }).code) : "unknown";
  return new AvHealthError(
    ErrorCodes.USAGE,
    `cannot write the report ${target} (${code}); choose a writable directory with --report-dir`,
    { cause, details: { path: target, errno: code } },
  );
}

function requireJsonText(jsonText: WriteReportsOptions["jsonText"]): NonNullable<WriteReportsOptions["jsonText"]> {
  if (jsonText === undefined) {
    throw new AvHealthError(ErrorCodes.USAGE, "writeReports: the json format needs jsonText (the output of serializeReport)");
  }
  return jsonText;
}

/** Writes every format asked for; resolves to format → absolute path of the written file. */
export async function writeReports(result: EvaluationResult, options: WriteReportsOptions): Promise<Record<string, string>> {
  // Checked before anything is written, so a caller mistake never leaves half a report set behind.
  const jsonText = options.formats.some(isJsonFormat) ? requireJsonText(options.jsonText) : "";
  const dir = path.resolve(options.dir);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw writeError(dir, error);
  }
  const written: Record<string, string> = {};
  // Capped lists in the rendered reports point at the JSON/CSV files only when this call writes them.
  const rendered: EvaluationResult = { ...result, reportFiles: options.formats.map((f) => REPORT_FILE_NAMES[f]) };
  for (const format of options.formats) {
    const target = path.join(dir, REPORT_FILE_NAMES[format]);
    if (format === "csv") await writeAtomically(target, (temp) => writeCsv(temp, result));
    else if (isJsonFormat(format)) await writeAtomically(target, (temp) => writeJson(temp, jsonText, format === "json.gz" ? "gzip" : "none"));
    else await writeAtomically(target, (temp) => fs.writeFile(temp, renderReport(format, rendered), PRIVATE_NEW_FILE));
    written[format] = target;
  }
  return written;
}
