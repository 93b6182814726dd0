import * as path from "node:path";
import { loadBaseline, resolveComparisonPath } from "../../baseline";
import { loadRuleFile, evaluate, serializeReportChunks, gateExitCode } from "../../rules";
import type { ReportPublicationInfo } from "../../report-model/types";
import type { CompiledRuleSet } from "../../rules/types";
import { parseFormats, REPORT_FILE_NAMES, writeReports } from "../../reports";
import { openSnapshotInput, readSnapshot } from "../../snapshot";
import { choiceFlag, existingInput, nowFlag, parseFlags, requireFlag, stringFlag } from "../args";
import { CHECK_OUTPUTS, checkResultJson } from "../check-output";
import { line, type CliIo } from "../io";
import { refuseOverwrites, type GuardedInput } from "../overwrite-guard";
import { applyPolicyConfig } from "../policy-config";
import { PUBLICATION_FLAGS, verifyFromFlags } from "../publication-args";
import { renderRuleTable } from "../rule-table";
import { fetchWithProgress, METHOD_CHOICES } from "./fetch";
import { recordHistory } from "./history";
import { privateTempDir } from "../../util/private-dir";

export const CHECK_FLAGS = {
  rules: { type: "string" },
  snapshot: { type: "string" },
  method: { type: "string" },
  filter: { type: "string" },
  out: { type: "string" },
  now: { type: "string" },
  "report-dir": { type: "string" },
  format: { type: "string" },
  history: { type: "string" },
  baseline: { type: "string" },
  "policy-config": { type: "string" },
  output: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  from: { type: "string" },
  ...PUBLICATION_FLAGS,
} as const;

export async function checkCommand(argv: string[], io: CliIo, clock: () => Date = () => new Date()): Promise<number> {
  const flags = parseFlags("check", argv, CHECK_FLAGS);
  const rulesArg = requireFlag("check", flags, "rules");
  const now = nowFlag("check", flags, clock);
  const formats = parseFormats(stringFlag(flags, "format") ?? "json,md");
  const reportDir = path.resolve(io.cwd, stringFlag(flags, "report-dir") ?? "avhealth-reports");
  const method = choiceFlag("check", flags, "method", METHOD_CHOICES, "auto");
  const output = choiceFlag("check", flags, "output", CHECK_OUTPUTS, "table");
  const quiet = flags.values.quiet === true;
  const snapshotArg = stringFlag(flags, "snapshot");
  const fromArg = stringFlag(flags, "from");
  let publication: ReportPublicationInfo | undefined;
  const shown = (file: string): string => path.relative(io.cwd, file) || file;

  // Rules first: an invalid rule file should not cost a fetch.
  const rulesPath = await existingInput(io.cwd, "--rules", rulesArg);
  const rulesName = shown(rulesPath);
  const policyConfig = stringFlag(flags, "policy-config");
  const loaded = await loadRuleFile(rulesPath, rulesName);
  const rules = policyConfig === undefined ? loaded : await applyPolicyConfig(loaded, await existingInput(io.cwd, "--policy-config", policyConfig), policyConfig);
  const snapshotPath = snapshotArg === undefined ? undefined : await existingInput(io.cwd, "--snapshot", snapshotArg, "file or directory");
  const historyArg = stringFlag(flags, "history");
  const baselineChoice = chooseBaseline(rules);
  await guardInputs();
  const baseline = baselineChoice === null ? undefined : await loadBaseline(baselineChoice.path, shown(baselineChoice.path));
  const snapshot = snapshotPath !== undefined ? await openSnapshotInput(snapshotPath) : fromArg !== undefined ? await openPublication(fromArg) : await fetchLive();
  // Reports name the rule file relative to the working directory, so they read the same on any checkout.
  const evaluated = await evaluate(rules, snapshot, now, { rulesFile: rulesName, ...(baseline === undefined ? {} : { baseline }) });
  if (publication !== undefined) evaluated.report.snapshot.publication = publication;
  const result = historyArg === undefined ? evaluated : await recordHistory(io, historyArg, evaluated, quiet);
  // Streamed: a million-device report is ~160 MB of JSON, which as one string (and its UTF-8 copy) doubles the peak.
  const written = await writeReports(result, { dir: reportDir, formats, jsonText: () => serializeReportChunks(result.report) });
  const exitCode = gateExitCode(result.report);

  if (!quiet) for (const file of Object.values(written)) line(io.stderr, `report: ${shown(file)}`);
  if (output === "json") {
    const files = Object.fromEntries(Object.entries(written).map(([format, file]) => [format, shown(file)]));
    line(io.stdout, JSON.stringify(checkResultJson(result.report, exitCode, files), null, 2));
  } else if (!quiet) {
    // Last, so the terminal's last line is the gate and the rules that block it.
    line(io.stdout, renderRuleTable(result.report, io.stdoutIsTTY));
  }
  return exitCode;

  /** --baseline, else the rule file's settings.baseline. */
  function chooseBaseline(ruleSet: CompiledRuleSet) {
    return resolveComparisonPath({
      // The CLI runs what its user asks for; pinning (settings.fleet) protects the policy pack from the gated stack.
      pinned: false,
      ruleFile: { source: "settings.baseline", value: ruleSet.settings.baseline ?? undefined, base: path.dirname(rulesPath) },
      overrides: [{ source: "--baseline", value: stringFlag(flags, "baseline"), base: io.cwd }],
    }).chosen;
  }

  /** Nothing this run reads or appends to may be a file it writes: refused before anything is fetched or written. */
  async function guardInputs(): Promise<void> {
    const inputs: GuardedInput[] = [];
    if (baselineChoice !== null) inputs.push({ source: baselineChoice.source, path: baselineChoice.path });
    if (historyArg !== undefined) inputs.push({ source: "--history", path: path.resolve(io.cwd, historyArg) });
    const outputs = formats.map((format) => ({ what: `the ${format} report`, path: path.join(reportDir, REPORT_FILE_NAMES[format]) }));
    const outArg = stringFlag(flags, "out");
    if (snapshotPath === undefined && outArg !== undefined) outputs.push({ what: "--out (the fetched snapshot)", path: path.resolve(io.cwd, outArg) });
    await refuseOverwrites(inputs, outputs, shown);
  }

  /** A signed publication, verified (steps 1-5) before any device is read; the reader checks the set digest as it goes. */
  async function openPublication(location: string) {
    const verified = await verifyFromFlags("check", location, flags, io, now, false, rules.settings.fleet);
    const p = verified.predicate;
    if (!quiet) line(io.stderr, `avhealth check: verified ${verified.location} (keyid ${verified.keyid}, ${p.deviceCount} devices, fetched ${p.fetchedAt})`);
    publication = { location: verified.location, keyid: verified.keyid, fetchedAt: p.fetchedAt, expiresAt: p.expiresAt, ageSeconds: Math.max(0, Math.round(verified.ageMs / 1000)), deviceCount: p.deviceCount };
    return readSnapshot(verified.snapshotPath);
  }

  async function fetchLive() {
    const outArg = stringFlag(flags, "out");
    const outPath = outArg ? path.resolve(io.cwd, outArg) : path.join(privateTempDir("avhealth-check-"), "snapshot.ndjson.gz");
    const fetched = await fetchWithProgress(io, { method, filter: stringFlag(flags, "filter"), outPath, quiet });
    return readSnapshot(fetched.path);
  }
}

