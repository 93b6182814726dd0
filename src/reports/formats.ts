/** The report formats of `--format` and their file names (README.md, "The command line"). */
import { AvHealthError, ErrorCodes } from "../errors";

/** "json.gz" is the JSON report gzip-compressed (the same text): what a CI run can keep of a large fleet. */
export const REPORT_FORMATS = ["json", "json.gz", "md", "sarif", "junit", "html", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** The JSON report, plain or compressed: the rules engine serializes it (one JSON serializer in the project). */
export type JsonFormat = Extract<ReportFormat, "json" | "json.gz">;
/** Every format but the JSON report. */
export type RenderedFormat = Exclude<ReportFormat, JsonFormat>;

export const DEFAULT_FORMATS: readonly ReportFormat[] = ["json", "md"];

export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  json: "avhealth-report.json",
  "json.gz": "avhealth-report.json.gz",
  md: "avhealth-report.md",
  sarif: "avhealth-report.sarif",
  junit: "avhealth-report.junit.xml",
  html: "avhealth-report.html",
  csv: "avhealth-report.csv",
};

export function isJsonFormat(format: ReportFormat): format is JsonFormat {
  return format === "json" || format === "json.gz";
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * `--format json,md,html` → ["json", "md", "html"], in the order given, duplicates dropped. Any entry that is
 * not a format (an empty one included) is a USAGE error naming it and the valid formats.
 */
export function parseFormats(list: string): ReportFormat[] {
  const formats: ReportFormat[] = [];
  for (const raw of list.split(",")) {
    const entry = raw.trim();
    if (!isReportFormat(entry)) {
      const shown = entry === "" ? "an empty entry" : `"${entry}"`;
      throw new AvHealthError(
        ErrorCodes.USAGE,
        `--format: ${shown} is not a report format; use a comma list of ${REPORT_FORMATS.join(", ")} (for example --format json,md,html)`,
        { details: { entry, valid: [...REPORT_FORMATS] } },
      );
    }
    if (!formats.includes(entry)) formats.push(entry);
  }
  return formats;
}
