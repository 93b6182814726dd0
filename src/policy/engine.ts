/** The real engine of the pack: the same rules, snapshot reader and report writers the CLI uses. */
import { evaluate, loadRuleFile, serializeReportChunks } from "../rules";
import { renderMarkdown, writeReports } from "../reports";
import { readSnapshot } from "../snapshot";
import type { PolicyEngine } from "./types";

export function defaultPolicyEngine(): PolicyEngine {
  return {
    loadRules: (file) => loadRuleFile(file),
    openSnapshot: (file) => readSnapshot(file),
    evaluate: (rules, snapshot, now, rulesFile, baseline) => evaluate(rules, snapshot, now, { rulesFile, ...(baseline === undefined ? {} : { baseline }) }),
    serializeReportChunks: (report) => serializeReportChunks(report),
    writeReports: (result, options) => writeReports(result, options),
    renderMarkdown: (result) => renderMarkdown(result),
  };
}
