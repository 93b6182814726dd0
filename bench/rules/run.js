/**
 * One measurement in a fresh process, so peak RSS belongs to that measurement alone:
 *   node bench/rules/run.js floor SNAPSHOT        read and parse every device, no rules
 *   node bench/rules/run.js eval SNAPSHOT RULES   evaluate RULES over the same snapshot
 *   node bench/rules/run.js check SNAPSHOT RULES [BASELINE]
 *                                                 what `avhealth check` does (default formats): evaluate, write the
 *                                                 JSON report and the Markdown report; with BASELINE (plain or
 *                                                 gzip-compressed), load it first and compare (the baseline
 *                                                 benchmark). AVHEALTH_BENCH_FORMATS picks other formats (e.g.
 *                                                 json.gz,md); the written files' sizes are printed as reportBytes
 *   node bench/rules/run.js write-baseline SNAPSHOT RULES OUT
 *                                                 write the JSON report of SNAPSHOT evaluated 3 days before NOW, as
 *                                                 the baseline of the check measurements (not timed); gzip-compressed
 *                                                 when OUT ends in .gz
 * Prints one JSON line.
 */
"use strict";
const path = require("node:path");
// AVHEALTH_DIST: a compiled tree other than the repository's dist/ (bench.js --dist), e.g. a private build.
const dist = path.join(process.env.AVHEALTH_DIST || path.join(__dirname, "../../dist"), "src");
const { readSnapshot } = require(path.join(dist, "snapshot"));
const { loadRuleFile, evaluate, serializeReport, serializeReportChunks } = require(path.join(dist, "rules"));
const { loadBaseline } = require(path.join(dist, "baseline"));
const reports = require(path.join(dist, "reports"));
const { writeReports } = reports;
// Builds before the compressed report (issue 15) have no writeTextFile; write-baseline of a .gz needs one.
const writeTextFile = reports.writeTextFile;
const fs = require("node:fs");
const os = require("node:os");
const { NOW } = require("./fleet");

async function main() {
  const [mode, snapshotPath, rulesPath, extra] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const snapshot = await readSnapshot(snapshotPath);
  let devices = 0;
  let rules = 0;
  let failing = 0;
  let compared = 0;
  const reportBytes = {};
  if (mode === "floor") {
    for await (const device of snapshot.devices()) if (device.machineId) devices++;
  } else if (mode === "write-baseline") {
    const ruleSet = await loadRuleFile(rulesPath);
    const { report } = await evaluate(ruleSet, snapshot, new Date(NOW - 3 * 86_400_000));
    if (extra.endsWith(".gz")) await writeTextFile(extra, serializeReportChunks(report), "gzip");
    else fs.writeFileSync(extra, serializeReport(report));
    devices = report.snapshot.deviceCount;
  } else if (mode === "check") {
    const ruleSet = await loadRuleFile(rulesPath);
    rules = ruleSet.rules.filter((rule) => rule.enforcement !== "disabled").length;
    const baseline = extra ? await loadBaseline(extra) : undefined;
    const result = await evaluate(ruleSet, snapshot, new Date(NOW), baseline ? { baseline } : {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-bench-check-"));
    const formats = (process.env.AVHEALTH_BENCH_FORMATS || "json,md").split(",");
    // As check.ts does: the JSON report streamed in chunks.
    const written = await writeReports(result, { dir, formats, jsonText: () => serializeReportChunks(result.report) });
    for (const [format, file] of Object.entries(written)) reportBytes[format] = fs.statSync(file).size;
    fs.rmSync(dir, { recursive: true, force: true });
    devices = result.report.snapshot.deviceCount;
    failing = result.report.rules.reduce((sum, rule) => sum + rule.failingDevices.length, 0);
    compared = result.report.rules.reduce((sum, rule) => sum + (rule.comparison ? rule.comparison.newlyFailing.length + rule.comparison.fixed.length + rule.comparison.waived.length + rule.comparison.left.length : 0), 0);
  } else {
    const ruleSet = await loadRuleFile(rulesPath);
    rules = ruleSet.rules.filter((rule) => rule.enforcement !== "disabled").length;
    const { report } = await evaluate(ruleSet, snapshot, new Date(NOW));
    devices = report.snapshot.deviceCount;
    failing = report.rules.reduce((sum, rule) => sum + rule.failingDevices.length, 0);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time (all threads, including zlib's) is steadier than wall time on a shared machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, devices, rules, failing, compared, seconds, cpuSeconds, peakRssMb, reportBytes })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
