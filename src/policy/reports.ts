/**
 * Report files for every evaluated fleet, written (and awaited) during stack validation, on preview and on
 * update, plus the Markdown appended to the GitHub Actions step summary when $GITHUB_STEP_SUMMARY is set.
 * Settings come from the `avhealth-reports` policy's config; the directory defaults to avhealth-reports/ in the
 * project root.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { DEFAULT_FORMATS, isJsonFormat, parseFormats, REPORT_FILE_NAMES, REPORT_FORMATS, type ReportFormat } from "../reports/formats";
import { escapeMarkdown } from "../reports/escape";
import type { HistoryPathChoice } from "../history";
import type { StackEvaluation } from "./evaluation";
import { stackHistoryChoice, withStackHistory, type RuleFileHistory } from "./history";
import { fleetFileName } from "./fleet-file-name";
import { fleetTitle } from "./messages";
import type { PackFiles } from "./protect";
import type { Env, PolicyEngine } from "./types";

// stderr: a policy pack's stdout carries its port for the engine and nothing else.
const logLine = (text: string): void => void process.stderr.write(`${text}\n`);

export const REPORTS_POLICY_NAME = "avhealth-reports";
export const DEFAULT_REPORT_DIR = "avhealth-reports";

export interface ReportSettings {
  /** Absolute directory. */
  dir: string;
  formats: ReportFormat[];
  githubStepSummary: boolean;
  /** Where this evaluation is appended (history.ts); `path: null` records nothing. */
  history: HistoryPathChoice;
}

/** The JSON schema of the reports policy's config (`--policy-pack-config`). */
export const REPORTS_CONFIG_SCHEMA = {
  properties: {
    formats: { type: "array", items: { type: "string", enum: [...REPORT_FORMATS] } },
    dir: { type: "string" },
    githubStepSummary: { type: "boolean" },
  },
} as const;

export interface ReportsConfig {
  formats?: string[] | string;
  dir?: string;
  githubStepSummary?: boolean;
}

export function reportSettings(config: ReportsConfig, projectRoot: string, env: Env = {}, ruleFile?: RuleFileHistory): ReportSettings {
  const formats =
    config.formats === undefined ? [...DEFAULT_FORMATS] : parseFormats(Array.isArray(config.formats) ? config.formats.join(",") : config.formats);
  return {
    dir: path.resolve(projectRoot, config.dir ?? DEFAULT_REPORT_DIR),
    formats,
    githubStepSummary: config.githubStepSummary ?? true,
    history: stackHistoryChoice(env, projectRoot, ruleFile),
  };
}

export interface WrittenReports {
  fleet: string;
  dir: string;
  files: Record<string, string>;
}

export async function writeStackReports(
  engine: PolicyEngine,
  stack: Extract<StackEvaluation, { kind: "fleets" }>,
  settings: ReportSettings,
  env: Env,
  protectedFiles?: PackFiles,
): Promise<WrittenReports[]> {
  const written: WrittenReports[] = [];
  // Every string here can come from the gated stack (resource names, paths): escaped, never raw Markdown or HTML.
  const summary: string[] = stack.notes.map((note) => `**avhealth:** ${escapeMarkdown(note)}.\n`);
  const { evaluations } = stack;
  const several = evaluations.length > 1;
  for (const evaluation of evaluations) {
    const dir = several ? path.join(settings.dir, fleetFileName(evaluation.ref.name)) : settings.dir;
    const heading = several ? `### ${escapeMarkdown(fleetTitle(evaluation.ref))}\n\n` : "";
    const refusal = await firstRefusal(protectedFiles, Object.values(REPORT_FILE_NAMES).map((name) => path.join(dir, name)));
    if (refusal !== undefined) {
      logLine(`avhealth: reports for ${fleetTitle(evaluation.ref)} not written: ${refusal}`);
      summary.push(`${heading}**avhealth:** reports not written: ${escapeMarkdown(refusal)}.\n`);
      continue;
    }
    if (evaluation.kind === "evaluated") {
      const result = await withStackHistory(evaluation.result, settings.history, several ? evaluation.ref.name : null, logLine, protectedFiles);
      const jsonText = settings.formats.some(isJsonFormat) ? () => engine.serializeReportChunks(result.report) : undefined;
      const files = await engine.writeReports(result, { dir, formats: settings.formats, jsonText });
      written.push({ fleet: fleetTitle(evaluation.ref), dir, files });
      summary.push(heading + engine.renderMarkdown({ ...result, reportFiles: Object.values(files).map((f) => path.basename(f)) }));
    } else {
      // Never leave an earlier run's report in place as if it described this run.
      await removeReports(dir);
      summary.push(`${heading}**avhealth: ${escapeMarkdown(fleetTitle(evaluation.ref))} was not evaluated:** ${escapeMarkdown(evaluation.problem)}. Mandatory rules fail closed.\n`);
    }
  }
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (settings.githubStepSummary && stepSummary && summary.length > 0) {
    const refusal = await protectedFiles?.refusal(stepSummary);
    if (refusal === undefined) await fs.appendFile(stepSummary, `${summary.join("\n")}\n`, "utf8");
    else logLine(`avhealth: GITHUB_STEP_SUMMARY not written: ${refusal}`);
  }
  return written;
}

async function firstRefusal(protectedFiles: PackFiles | undefined, targets: readonly string[]): Promise<string | undefined> {
  if (protectedFiles === undefined) return undefined;
  for (const target of targets) {
    const refusal = await protectedFiles.refusal(target);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

async function removeReports(dir: string): Promise<void> {
  await Promise.all(Object.values(REPORT_FILE_NAMES).map((name) => fs.rm(path.join(dir, name), { force: true })));
}
