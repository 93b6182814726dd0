/** Report renderers (every format but JSON, which src/rules serializes) and the report-directory writer. */
export { renderReport } from "./render";
export { writeReports, type WriteReportsOptions } from "./write";
export { writeTextFile, type TextCompression } from "./text-file";
export {
  parseFormats,
  isReportFormat,
  isJsonFormat,
  REPORT_FORMATS,
  DEFAULT_FORMATS,
  REPORT_FILE_NAMES,
  type ReportFormat,
  type RenderedFormat,
  type JsonFormat,
} from "./formats";
export { renderMarkdown } from "./markdown";
export { renderSarif, sarifLevel, SARIF_SCHEMA_URI, type SarifLevel } from "./sarif";
export { renderJunit } from "./junit";
export { renderHtml, HTML_CSP } from "./html";
export { renderCsv, csvLines, CSV_HEADER } from "./csv";
export { escapeMarkdown, escapeHtml, escapeXmlText, escapeXmlAttr, csvField, showControls } from "./escape";
