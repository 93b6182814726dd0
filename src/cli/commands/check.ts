import { rmSync } from "node:fs";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { loadBaseline, resolveComparisonPath } from "../../baseline";
import { loadRuleFile, evaluate, serializeReportChunks, gateExitCode } from "../../rules";
import type { ReportPublicationInfo } from "../../report-model/types";
import type { CompiledRuleSet } from "../../rules/types";
import { parseFormats, writeReports } from "../../reports";
import { openSnapshotInput, readSnapshot } from "../../snapshot";
import { choiceFlag, nowFlag, parseFlags, requireFlag, stringFlag } from "../args";
import { line, type CliIo } from "../io";
import { PUBLICATION_FLAGS, verifyFromFlags } from "../publication-args";
import { renderRuleTable } from "../rule-table";
import { fetchWithProgress, METHOD_CHOICES } from "./fetch";
import { recordHistory } from "./history";

export async function checkCommand(argv: string[], io: CliIo, clock: () => Date = () => new Date()): Promise<number> {
  const flags = parseFlags("check", argv, {
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
    from: { type: "string" },
    ...PUBLICATION_FLAGS,
  });
  const rulesPath = path.resolve(io.cwd, requireFlag("check", flags, "rules"));
  const now = nowFlag("check", flags, clock);
  const formats = parseFormats(stringFlag(flags, "format") ?? "json,md");
  const reportDir = path.resolve(io.cwd, stringFlag(flags, "report-dir") ?? "avhealth-reports");
  const method = choiceFlag("check", flags, "method", METHOD_CHOICES, "auto");
  const snapshotArg = stringFlag(flags, "snapshot");
  const fromArg = stringFlag(flags, "from");
  let publication: ReportPublicationInfo | undefined;

  // Rules first: an invalid rule file should not cost a fetch.
  const rulesName = path.relative(io.cwd, rulesPath) || rulesPath;
  const rules = await loadRuleFile(rulesPath, rulesName);
  const baseline = await loadChosenBaseline(rules);
  const snapshot =
    snapshotArg !== undefined ? await openSnapshotInput(path.resolve(io.cwd, snapshotArg)) : fromArg !== undefined ? await openPublication(fromArg) : await fetchLive();
  // Reports name the rule file relative to the working directory, so they read the same on any checkout.
  const evaluated = await evaluate(rules, snapshot, now, { rulesFile: rulesName, ...(baseline === undefined ? {} : { baseline }) });
  if (publication !== undefined) evaluated.report.snapshot.publication = publication;
  const historyArg = stringFlag(flags, "history");
  const result = historyArg === undefined ? evaluated : await recordHistory(io, historyArg, evaluated);
  // Streamed: a million-device report is ~160 MB of JSON, which as one string (and its UTF-8 copy) doubles the peak.
  const written = await writeReports(result, { dir: reportDir, formats, jsonText: () => serializeReportChunks(result.report) });

  line(io.stdout, renderRuleTable(result.report, io.stdoutIsTTY));
  for (const file of Object.values(written)) line(io.stderr, `report: ${path.relative(io.cwd, file) || file}`);
  return gateExitCode(result.report);

  /** --baseline, else the rule file's settings.baseline; loaded before any fetch, so a bad one costs nothing. */
  async function loadChosenBaseline(ruleSet: CompiledRuleSet) {
    const choice = resolveComparisonPath({
      // The CLI runs what its user asks for; pinning (settings.fleet) protects the policy pack from the gated stack.
      pinned: false,
      ruleFile: { source: "settings.baseline", value: ruleSet.settings.baseline ?? undefined, base: path.dirname(rulesPath) },
      overrides: [{ source: "--baseline", value: stringFlag(flags, "baseline"), base: io.cwd }],
    });
    if (choice.chosen === null) return undefined;
    return loadBaseline(choice.chosen.path, path.relative(io.cwd, choice.chosen.path) || choice.chosen.path);
  }

  /** A signed publication, verified (steps 1-5) before any device is read; the reader checks the set digest as it goes. */
  async function openPublication(location: string) {
    const verified = await verifyFromFlags("check", location, flags, io, now, false, rules.settings.fleet);
    const p = verified.predicate;
    line(io.stderr, `avhealth check: verified ${verified.location} (keyid ${verified.keyid}, ${p.deviceCount} devices, fetched ${p.fetchedAt})`);
    publication = { location: verified.location, keyid: verified.keyid, fetchedAt: p.fetchedAt, expiresAt: p.expiresAt, ageSeconds: Math.max(0, Math.round(verified.ageMs / 1000)), deviceCount: p.deviceCount };
    return readSnapshot(verified.snapshotPath);
  }

  async function fetchLive() {
    const outArg = stringFlag(flags, "out");
    const outPath = outArg ? path.resolve(io.cwd, outArg) : path.join(await privateTempDir(), "snapshot.ndjson.gz");
    const fetched = await fetchWithProgress(io, { method, filter: stringFlag(flags, "filter"), outPath });
    return readSnapshot(fetched.path);
  }
}

/** A new directory only its owner can enter, for a snapshot nobody asked to keep; removed when the process exits. */
async function privateTempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-check-"));
  await fs.chmod(dir, 0o700);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
