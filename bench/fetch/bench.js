/**
 * Fetch benchmark: the files method on 1,000,000 devices and the JSON method on 100,000, each from the emulator
 * (in its own process) over HTTPS on loopback, against the "download + parse" reference measured in the same
 * run: the least a client of the emulator has to do, i.e. the same requests made and the bodies downloaded and
 * parsed (nested JSON strings included), nothing normalized or written. Runs on the compiled output:
 * `npm run build` first.
 *
 *   node bench/fetch/bench.js [--files-devices N] [--json-devices N] [--parts K] [--runs R] [--workers 1,2,3,4]
 *
 * Targets (issue 11): files method ≤ 1.5x its reference; JSON method ≤ 1.5x its reference; method auto on the
 * files fleet ≤ 1.1x the files method; peak RSS under 512 MB for each, and for the files method with
 * AVHEALTH_PART_WORKERS set to each of --workers (one run each). Ratios are of wall time (the fetch reads parts
 * in worker threads, so its CPU time is not its duration); CPU ratios are shown beside them. The parse-only
 * floors of issue 3 are still measured and printed for comparison.
 */
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { existsSync, mkdtempSync, rmSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

function measure(...args) {
  return measureWith({}, ...args);
}

/** One measurement with extra environment variables (AVHEALTH_PART_WORKERS). */
function measureWith(env, ...args) {
  const out = execFileSync(process.execPath, [path.join(__dirname, "run.js"), ...args], { encoding: "utf8", maxBuffer: 1 << 20, env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split("\n").pop());
}

/** Starts bench/fetch/emulator.js and resolves with its connection line and a stop function. */
function startEmulator(options) {
  const child = spawn(process.execPath, [path.join(__dirname, "emulator.js"), JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).once("line", (line) => {
      child.removeAllListeners("exit");
      const stop = () => new Promise((done) => { child.once("exit", done); child.stdin.end(); });
      resolve({ conn: JSON.parse(line), stop });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function round(value) {
  return Math.round(value * 100) / 100;
}

function summarize(label, runs, floors, references) {
  const cpu = median(runs.map((m) => m.cpuSeconds));
  const wall = median(runs.map((m) => m.seconds));
  const floorCpu = median(floors.map((m) => m.cpuSeconds));
  const floorWall = median(floors.map((m) => m.seconds));
  const referenceCpu = median(references.map((m) => m.cpuSeconds));
  const referenceWall = median(references.map((m) => m.seconds));
  return {
    label,
    devices: runs[0].devices,
    complete: runs.every((m) => m.complete),
    cpuSeconds: round(cpu),
    wallSeconds: round(wall),
    writeSeconds: round(median(runs.map((m) => m.writeSeconds))),
    floorCpuSeconds: round(floorCpu),
    floorWallSeconds: round(floorWall),
    wallRatio: round(wall / floorWall),
    cpuRatio: round(cpu / floorCpu),
    referenceCpuSeconds: round(referenceCpu),
    referenceWallSeconds: round(referenceWall),
    referenceWallRatio: round(wall / referenceWall),
    referenceCpuRatio: round(cpu / referenceCpu),
    peakRssMb: round(Math.max(...runs.map((m) => m.peakRssMb))),
    floorPeakRssMb: round(Math.max(...floors.map((m) => m.peakRssMb))),
  };
}

async function main() {
  if (!existsSync(path.join(__dirname, "../../dist/src/fetch/index.js"))) {
    console.error("bench/fetch needs the compiled library: run `npm run build` first.");
    process.exit(2);
  }
  const filesDevices = flag("files-devices", 1_000_000);
  const jsonDevices = flag("json-devices", 100_000);
  const parts = flag("parts", 2);
  const runs = flag("runs", 3);
  const workerIndex = process.argv.indexOf("--workers");
  const workerCounts = (workerIndex === -1 ? "1,2,3,4" : process.argv[workerIndex + 1]).split(",").filter((w) => w !== "").map(Number);
  const work = mkdtempSync(path.join(os.tmpdir(), "avhealth-bench-fetch-"));
  const results = [];
  let auto;
  const perWorkers = [];
  try {
    const started = Date.now();
    const files = await startEmulator({ devices: filesDevices, seed: "bench", parts, dataDir: path.join(work, "emu-files") });
    console.error(`emulator with ${filesDevices} devices and its export ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const fetches = [];
    const floors = [];
    const references = [];
    const autos = [];
    try {
      for (let i = 0; i < runs; i++) {
        floors.push(measure("floor-files", files.conn.dataDir));
        references.push(measure("fetched-files", JSON.stringify(files.conn)));
        fetches.push(measure("fetch", "files", JSON.stringify(files.conn), path.join(work, "files.ndjson.gz")));
        // The default method on the same fleet: one JSON page and one size call, then the export.
        autos.push(measure("fetch", "auto", JSON.stringify(files.conn), path.join(work, "auto.ndjson.gz")));
      }
      for (const workers of workerCounts) {
        const m = measureWith({ AVHEALTH_PART_WORKERS: String(workers) }, "fetch", "files", JSON.stringify(files.conn), path.join(work, "files-w.ndjson.gz"));
        perWorkers.push({ workers, wallSeconds: round(m.seconds), cpuSeconds: round(m.cpuSeconds), peakRssMb: round(m.peakRssMb), complete: m.complete });
      }
    } finally {
      await files.stop();
    }
    results.push(summarize("files method", fetches, floors, references));
    const autoWall = median(autos.map((m) => m.seconds));
    auto = {
      devices: autos[0].devices,
      complete: autos.every((m) => m.complete),
      wallSeconds: round(autoWall),
      cpuSeconds: round(median(autos.map((m) => m.cpuSeconds))),
      filesRatio: round(autoWall / median(fetches.map((m) => m.seconds))),
      peakRssMb: round(Math.max(...autos.map((m) => m.peakRssMb))),
    };

    const json = await startEmulator({ devices: jsonDevices, seed: "bench", prepareExport: false, dataDir: path.join(work, "emu-json") });
    const jsonRuns = [];
    const jsonFloors = [];
    const jsonReferences = [];
    try {
      for (let i = 0; i < runs; i++) {
        jsonFloors.push(measure("floor-json", JSON.stringify(json.conn)));
        jsonReferences.push(measure("fetched-json", JSON.stringify(json.conn)));
        jsonRuns.push(measure("fetch", "json", JSON.stringify(json.conn), path.join(work, "json.ndjson.gz")));
      }
    } finally {
      await json.stop();
    }
    results.push(summarize("JSON method", jsonRuns, jsonFloors, jsonReferences));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const [f, j] = results;
  const checks = {
    files: f.complete && f.referenceWallRatio <= 1.5,
    json: j.complete && j.referenceWallRatio <= 1.5,
    auto: auto.complete && auto.filesRatio <= 1.1,
    rss: [f, j, auto, ...perWorkers].every((m) => m.peakRssMb < 512) && perWorkers.every((m) => m.complete),
  };
  const meets = Object.values(checks).every(Boolean);
  const mark = (ok) => (ok ? "met" : "NOT met");
  const row = (name, m) =>
    `| ${name} | ${m.devices.toLocaleString("en-US")} | ${m.wallSeconds} s (${m.cpuSeconds} s) | ${m.referenceWallSeconds} s (${m.referenceCpuSeconds} s) | ` +
    `**${m.referenceWallRatio}x** (${m.referenceCpuRatio}x) | ≤ 1.5x | ${m.peakRssMb} MB | ${m.floorWallSeconds} s: ${m.wallRatio}x |`;
  console.log(
    [
      `fetch benchmark, median of ${runs} runs: wall time, CPU time of the client process in brackets`,
      "",
      "| method | devices | fetch | reference: download + parse | fetch ÷ reference | target | peak RSS (< 512 MB) | parse-only floor: fetch ÷ floor |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      row("files", f),
      row("json", j),
      "",
      `method auto on the files fleet: ${auto.wallSeconds} s (${auto.cpuSeconds} s), **${auto.filesRatio}x** the files method (target ≤ 1.1x), peak RSS ${auto.peakRssMb} MB, complete: ${auto.complete}`,
      `files method by AVHEALTH_PART_WORKERS (one run each): ${perWorkers.map((m) => `${m.workers}: ${m.wallSeconds} s, ${m.peakRssMb} MB`).join("; ")}`,
      `snapshot writing after the last part or page (de-duplication, digest, assembly): files ${f.writeSeconds} s, json ${j.writeSeconds} s`,
      `targets: files ${mark(checks.files)}, json ${mark(checks.json)}, auto ${mark(checks.auto)}, peak RSS ${mark(checks.rss)}`,
    ].join("\n"),
  );
  console.log(JSON.stringify({ results, auto, perWorkers }));
  if (!meets) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
