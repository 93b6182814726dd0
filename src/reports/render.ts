/** One entry point for every rendered format, so callers and the writer dispatch on the format name only. */
import type { EvaluationResult } from "../report-model/types";
import { renderCsv } from "./csv";
import type { RenderedFormat } from "./formats";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif } from "./sarif";

const RENDERERS: Readonly<Record<RenderedFormat, (result: EvaluationResult) => string>> = {
  md: renderMarkdown,
  sarif: renderSarif,
  junit: renderJunit,
  html: renderHtml,
  csv: renderCsv,
};

/** The report in one format. Pure: the same result always gives the same string. */
export function renderReport(format: RenderedFormat, result: EvaluationResult): string {
  return RENDERERS[format](result);
}
