import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { loadRuleFile, evaluate, serializeReport, gateExitCode } from "../../rules";
import { parseFormats, writeReports } from "../../reports";
import { openSnapshotInput, readSnapshot } from "../../snapshot";
import { choiceFlag, nowFlag, parseFlags, requireFlag, stringFlag } from "../args";
import { line, type CliIo } from "../io";
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
  });
  const rulesPath = path.resolve(io.cwd, requireFlag("check", flags, "rules"));
  const now = nowFlag("check", flags, clock);
  const formats = parseFormats(stringFlag(flags, "format") ?? "json,md");
  const reportDir = path.resolve(io.cwd, stringFlag(flags, "report-dir") ?? "avhealth-reports");
  const method = choiceFlag("check", flags, "method", METHOD_CHOICES, "auto");
  const snapshotArg = stringFlag(flags, "snapshot");

  // Rules first: an invalid rule file should not cost a fetch.
  const rulesName = path.relative(io.cwd, rulesPath) || rulesPath;
  const rules = await loadRuleFile(rulesPath, rulesName);
  const snapshot = snapshotArg !== undefined ? await openSnapshotInput(path.resolve(io.cwd, snapshotArg)) : await fetchLive();
  // Reports name the rule file relative to the working directory, so they read the same on any checkout.
  const evaluated = await evaluate(rules, snapshot, now, { rulesFile: rulesName });
  const historyArg = stringFlag(flags, "history");
  const result = historyArg === undefined ? evaluated : await recordHistory(io, historyArg, evaluated);
  const written = await writeReports(result, { dir: reportDir, formats, jsonText: serializeReport(result.report) });

  line(io.stdout, renderRuleTable(result.report, io.stdoutIsTTY));
  for (const file of Object.values(written)) line(io.stderr, `report: ${path.relative(io.cwd, file) || file}`);
  return gateExitCode(result.report);

  async function fetchLive() {
    const outArg = stringFlag(flags, "out");
    const outPath = outArg ? path.resolve(io.cwd, outArg) : path.join(await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-check-")), "snapshot.ndjson.gz");
    const fetched = await fetchWithProgress(io, { method, filter: stringFlag(flags, "filter"), outPath });
    return readSnapshot(fetched.path);
  }
}
