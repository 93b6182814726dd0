/**
 * Rules-engine benchmark: 20 rules over an N-device snapshot (default 1,000,000), against the floor of reading
 * and parsing the same snapshot with no rules. Runs on the compiled output: `npm run build` first.
 *
 *   node bench/rules/bench.js [--devices N] [--runs R] [--dist DIR]
 *
 * --dist reads the library from another compiled tree (`tsc -p tsconfig.build.json --outDir DIR`), so a
 * rebuild of dist/ by someone else cannot pull the library away mid-run.
 *
 * Targets (issue 4): evaluation adds at most 50% to the floor's time; peak RSS under 512 MB.
 * Baseline case (issue 10): `avhealth check` (evaluate, write JSON and Markdown) comparing with a baseline report
 * of the same N devices and 20 rules takes at most 25% more than the same check without one; peak RSS under
 * 512 MB. The baseline is the fleet evaluated 3 days earlier, so the time-based rules' devices change.
 * The snapshot and the baseline are generated once per N under the OS temp directory and reused.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const { existsSync, mkdirSync, renameSync, statSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { writeFleet } = require("./fleet");

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const ROOT = path.join(__dirname, "../..");
const distIndex = process.argv.indexOf("--dist");
const DIST = distIndex === -1 ? path.join(ROOT, "dist") : path.resolve(process.argv[distIndex + 1]);

function measure(mode, snapshot, rules, extra) {
  const args = [path.join(__dirname, "run.js"), mode, snapshot, ...(rules ? [rules] : []), ...(extra ? [extra] : [])];
  // NODE_PATH lets a --dist tree outside the repository find the repository's dependencies.
  const env = { ...process.env, AVHEALTH_DIST: DIST, NODE_PATH: path.join(ROOT, "node_modules") };
  return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20, env }).trim());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  if (!existsSync(path.join(DIST, "src/rules/index.js"))) {
    console.error(`bench/rules needs the compiled library in ${DIST}: run \`npm run build\` first.`);
    process.exit(2);
  }
  const devices = flag("devices", 1_000_000);
  const runs = flag("runs", 3);
  const rules = path.join(__dirname, "rules.yaml");
  const dir = path.join(os.tmpdir(), "avhealth-bench");
  mkdirSync(dir, { recursive: true });
  const snapshot = path.join(dir, `snapshot-v3-${devices}.ndjson.gz`);
  if (!existsSync(snapshot)) {
    const started = Date.now();
    await writeFleet(`${snapshot}.tmp`, devices);
    renameSync(`${snapshot}.tmp`, snapshot);
    console.error(`generated ${snapshot} (${(statSync(snapshot).size / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const baseline = path.join(dir, `baseline-v1-${devices}.json`);
  if (!existsSync(baseline)) {
    measure("write-baseline", snapshot, rules, `${baseline}.tmp`);
    renameSync(`${baseline}.tmp`, baseline);
    console.error(`generated ${baseline} (${(statSync(baseline).size / 1e6).toFixed(1)} MB)`);
  }

  const floors = [];
  const evals = [];
  const checks = [];
  const compares = [];
  for (let i = 0; i < runs; i++) {
    floors.push(measure("floor", snapshot));
    evals.push(measure("eval", snapshot, rules));
    checks.push(measure("check", snapshot, rules));
    compares.push(measure("check", snapshot, rules, baseline));
  }
  // CPU time (user + system, zlib threads included) decides: on a shared machine wall time mostly measures
  // the neighbours. Wall time is reported beside it.
  const floorSeconds = median(floors.map((m) => m.cpuSeconds));
  const evalSeconds = median(evals.map((m) => m.cpuSeconds));
  const floorWall = median(floors.map((m) => m.seconds));
  const evalWall = median(evals.map((m) => m.seconds));
  const ruleCount = evals[0].rules;
  const evaluations = devices * ruleCount;
  const added = (evalSeconds - floorSeconds) / floorSeconds;
  const result = {
    devices,
    rules: ruleCount,
    runs,
    floorCpuSeconds: round(floorSeconds),
    evalCpuSeconds: round(evalSeconds),
    floorWallSeconds: round(floorWall),
    evalWallSeconds: round(evalWall),
    addedToFloorPercent: round(added * 100),
    deviceRuleEvaluationsPerSecond: Math.round(evaluations / evalSeconds),
    deviceRuleEvaluationsPerSecondBeyondFloor: Math.round(evaluations / Math.max(evalSeconds - floorSeconds, 1e-9)),
    floorPeakRssMb: round(Math.max(...floors.map((m) => m.peakRssMb))),
    evalPeakRssMb: round(Math.max(...evals.map((m) => m.peakRssMb))),
    failingDeviceEntries: evals[0].failing,
    checkCpuSeconds: round(median(checks.map((m) => m.cpuSeconds))),
    checkWithBaselineCpuSeconds: round(median(compares.map((m) => m.cpuSeconds))),
    checkWallSeconds: round(median(checks.map((m) => m.seconds))),
    checkWithBaselineWallSeconds: round(median(compares.map((m) => m.seconds))),
    checkPeakRssMb: round(Math.max(...checks.map((m) => m.peakRssMb))),
    checkWithBaselinePeakRssMb: round(Math.max(...compares.map((m) => m.peakRssMb))),
    baselineMb: round(statSync(baseline).size / 1e6),
    baselineChangeEntries: compares[0].compared,
    targets: { addedToFloorPercentMax: 50, peakRssMbMax: 512, addedByBaselinePercentMax: 25 },
  };
  result.addedByBaselinePercent = round(((result.checkWithBaselineCpuSeconds - result.checkCpuSeconds) / result.checkCpuSeconds) * 100);
  result.meetsTargets =
    result.addedToFloorPercent <= 50 && result.evalPeakRssMb < 512 && result.addedByBaselinePercent <= 25 && result.checkWithBaselinePeakRssMb < 512;
  console.log(
    [
      `rules benchmark: ${devices.toLocaleString("en-US")} devices x ${ruleCount} rules, median of ${runs} runs`,
      `  floor (read + parse, no rules): ${result.floorCpuSeconds} s CPU (${result.floorWallSeconds} s wall), peak RSS ${result.floorPeakRssMb} MB`,
      `  evaluate (same read + ${ruleCount} rules): ${result.evalCpuSeconds} s CPU (${result.evalWallSeconds} s wall), peak RSS ${result.evalPeakRssMb} MB`,
      `  evaluation adds ${result.addedToFloorPercent}% to the floor (target <= 50%)`,
      `  ${result.deviceRuleEvaluationsPerSecond.toLocaleString("en-US")} device-rule evaluations per CPU second end to end, ` +
        `${result.deviceRuleEvaluationsPerSecondBeyondFloor.toLocaleString("en-US")}/s beyond the floor`,
      `  ${result.failingDeviceEntries.toLocaleString("en-US")} failing-device entries in the report`,
      `  check (evaluate + JSON + Markdown): ${result.checkCpuSeconds} s CPU (${result.checkWallSeconds} s wall), peak RSS ${result.checkPeakRssMb} MB`,
      `  check --baseline (${result.baselineMb} MB report, ${result.baselineChangeEntries.toLocaleString("en-US")} device changes): ` +
        `${result.checkWithBaselineCpuSeconds} s CPU (${result.checkWithBaselineWallSeconds} s wall), peak RSS ${result.checkWithBaselinePeakRssMb} MB`,
      `  the baseline adds ${result.addedByBaselinePercent}% to check (target <= 25%, peak RSS < 512 MB)`,
      `  targets ${result.meetsTargets ? "met" : "NOT met"}`,
    ].join("\n"),
  );
  console.log(JSON.stringify(result));
  if (!result.meetsTargets) process.exitCode = 1;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
