/**
 * Report benchmark: `avhealth check` with the starter rule file (examples/rules/compliance.yaml) over an
 * N-device emulator fleet (default 1,000,000), whose devices fail those rules often (about 1.9 million
 * failing-device entries), so the reports are as large as a real estate's can get. Runs on the compiled output:
 * `npm run build` first.
 *
 *   node bench/rules/reports.js [--devices N] [--runs R] [--dist DIR] [--before DIR]
 *
 * Each measurement is a fresh process (bench/rules/run.js), so peak RSS is its own. Measured in every run:
 *   floor          read and parse the snapshot, no rules: the reference that times are given against
 *   check json     evaluate, write avhealth-report.json and the Markdown report (the default formats)
 *   check json.gz  the same with the JSON report gzip-compressed
 *   check --baseline json.gz   comparing with the gzip-compressed report of the fleet evaluated 3 days earlier
 *   before         (with --before DIR, a build of an earlier version) check json with that build
 * Targets (issue 15): peak RSS under 512 MB for every check; the compressed report at most a fifth of the plain.
 *
 * The snapshot is fetched once per N from the emulator (files method, emulator in its own process, devices
 * generated relative to the fixed NOW of fleet.js) and kept under the OS temp directory with its baseline.
 */
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { existsSync, mkdirSync, renameSync, statSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");
const { NOW } = require("./fleet");

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

const ROOT = path.join(__dirname, "../..");
const DIST = path.resolve(flag("dist", path.join(ROOT, "dist")));
const BEFORE = flag("before", null);
const RULES = path.join(ROOT, "examples/rules/compliance.yaml");

function measure(mode, snapshot, extra, { dist = DIST, formats = "json,md" } = {}) {
  const args = [path.join(__dirname, "run.js"), mode, snapshot, ...(mode === "floor" ? [] : [RULES]), ...(extra ? [extra] : [])];
  const env = { ...process.env, AVHEALTH_DIST: dist, NODE_PATH: path.join(ROOT, "node_modules"), AVHEALTH_BENCH_FORMATS: formats };
  return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20, env }).trim());
}

/** The emulator in its own process (bench/fetch/emulator.js); resolves with its connection line and a stop function. */
function startEmulator(options) {
  const child = spawn(process.execPath, [path.join(ROOT, "bench/fetch/emulator.js"), JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once("line", (line) => {
      child.removeAllListeners("exit");
      const stop = () => new Promise((done) => { child.once("exit", done); child.stdin.end(); });
      resolve({ conn: JSON.parse(line), stop });
    });
  });
}

async function emulatorSnapshot(file, devices) {
  const started = Date.now();
  const emulator = await startEmulator({ devices, seed: "1", referenceTime: new Date(NOW).toISOString(), dataDir: path.join(path.dirname(file), `emu-${devices}`) });
  try {
    execFileSync(process.execPath, [path.join(ROOT, "bench/fetch/run.js"), "fetch", "files", JSON.stringify(emulator.conn), `${file}.tmp`], { stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    await emulator.stop();
  }
  renameSync(`${file}.tmp`, file);
  console.error(`fetched ${file} (${mb(statSync(file).size)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function round(value) {
  return Math.round(value * 100) / 100;
}

function mb(bytes) {
  return round(bytes / 1e6);
}

async function main() {
  if (!existsSync(path.join(DIST, "src/rules/index.js"))) {
    console.error(`bench/rules/reports.js needs the compiled library in ${DIST}: run \`npm run build\` first.`);
    process.exit(2);
  }
  const devices = Number(flag("devices", 1_000_000));
  const runs = Number(flag("runs", 3));
  const dir = path.join(os.tmpdir(), "avhealth-bench");
  mkdirSync(dir, { recursive: true });
  const snapshot = path.join(dir, `emulator-snapshot-v1-${devices}.ndjson.gz`);
  if (!existsSync(snapshot)) await emulatorSnapshot(snapshot, devices);
  const baseline = path.join(dir, `emulator-baseline-v1-${devices}.json.gz`);
  if (!existsSync(baseline)) {
    measure("write-baseline", snapshot, `${baseline}.tmp.gz`);
    renameSync(`${baseline}.tmp.gz`, baseline);
    console.error(`generated ${baseline} (${mb(statSync(baseline).size)} MB)`);
  }

  const m = { floor: [], json: [], gz: [], baseline: [], before: [] };
  for (let i = 0; i < runs; i++) {
    m.floor.push(measure("floor", snapshot));
    m.json.push(measure("check", snapshot, null, { formats: "json,md" }));
    m.gz.push(measure("check", snapshot, null, { formats: "json.gz,md" }));
    m.baseline.push(measure("check", snapshot, baseline, { formats: "json.gz,md" }));
    if (BEFORE) m.before.push(measure("check", snapshot, null, { dist: path.resolve(BEFORE), formats: "json,md" }));
  }
  const floorCpu = median(m.floor.map((x) => x.cpuSeconds));
  const floorWall = median(m.floor.map((x) => x.seconds));
  const row = (list) => {
    const cpu = median(list.map((x) => x.cpuSeconds));
    const wall = median(list.map((x) => x.seconds));
    return { cpuSeconds: round(cpu), wallSeconds: round(wall), cpuRatio: round(cpu / floorCpu), wallRatio: round(wall / floorWall), peakRssMb: round(Math.max(...list.map((x) => x.peakRssMb))) };
  };
  const result = {
    devices,
    rules: m.json[0].rules,
    runs,
    failingDeviceEntries: m.json[0].failing,
    floor: { cpuSeconds: round(floorCpu), wallSeconds: round(floorWall), peakRssMb: round(Math.max(...m.floor.map((x) => x.peakRssMb))) },
    checkJson: row(m.json),
    checkJsonGz: row(m.gz),
    checkBaselineJsonGz: row(m.baseline),
    ...(BEFORE ? { before: row(m.before) } : {}),
    jsonReportMb: mb(m.json[0].reportBytes.json),
    jsonGzReportMb: mb(m.gz[0].reportBytes["json.gz"]),
    baselineGzMb: mb(statSync(baseline).size),
    baselineChangeEntries: m.baseline[0].compared,
  };
  result.gzOverPlain = round(result.jsonGzReportMb / result.jsonReportMb);
  result.gzCpuOverPlain = round(result.checkJsonGz.cpuSeconds / result.checkJson.cpuSeconds);
  result.targets = { peakRssMbMax: 512, gzOverPlainMax: 0.2 };
  result.meetsTargets = [result.checkJson, result.checkJsonGz, result.checkBaselineJsonGz].every((r) => r.peakRssMb < 512) && result.gzOverPlain <= 0.2;
  const line = (label, r) => `  ${label}: ${r.cpuSeconds} s CPU (${r.wallSeconds} s wall), ${r.cpuRatio}x the floor's CPU (${r.wallRatio}x wall), peak RSS ${r.peakRssMb} MB`;
  console.log(
    [
      `report benchmark: ${devices.toLocaleString("en-US")} emulator devices x ${result.rules} rules (examples/rules/compliance.yaml), median of ${runs} runs`,
      `  ${result.failingDeviceEntries.toLocaleString("en-US")} failing-device entries in the report`,
      `  floor (read + parse, no rules): ${result.floor.cpuSeconds} s CPU (${result.floor.wallSeconds} s wall), peak RSS ${result.floor.peakRssMb} MB`,
      line("check, JSON + Markdown", result.checkJson),
      line("check, JSON.gz + Markdown", result.checkJsonGz),
      line(`check --baseline (${result.baselineGzMb} MB .json.gz, ${result.baselineChangeEntries.toLocaleString("en-US")} device changes), JSON.gz + Markdown`, result.checkBaselineJsonGz),
      ...(BEFORE ? [line(`before (${BEFORE}), JSON + Markdown`, result.before)] : []),
      `  JSON report ${result.jsonReportMb} MB, gzip-compressed ${result.jsonGzReportMb} MB (${result.gzOverPlain}x; CPU ${result.gzCpuOverPlain}x the plain check)`,
      `  targets (peak RSS < 512 MB for every check, .json.gz <= 0.2x): ${result.meetsTargets ? "met" : "NOT met"}`,
    ].join("\n"),
  );
  console.log(JSON.stringify(result));
  if (!result.meetsTargets) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
