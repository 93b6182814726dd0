/**
 * Fetch benchmark: the files method on 1,000,000 devices and the JSON method on 100,000, each from the emulator
 * (in its own process) over HTTPS on loopback, against floors measured in the same run. Runs on the compiled
 * output: `npm run build` first.
 *
 *   node bench/fetch/bench.js [--files-devices N] [--json-devices N] [--parts K] [--runs R]
 *
 * Floors (issue 3): files = gunzip + JSON.parse (DeviceGatheredInfo and AvScanResults strings included) of the
 * same part files from local disk; json = JSON.parse of the same page bodies, already in memory as text.
 * Targets: files method within 2x its floor with peak RSS under 512 MB; JSON method within 2x its floor.
 * Ratios are of wall time (the fetch reads parts in worker threads, so its CPU time is no longer its duration);
 * CPU ratios are shown beside them. A reference is measured too: the least a client of the emulator has to do,
 * i.e. the same requests made and the bodies downloaded and parsed, nothing normalized or written.
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
  const out = execFileSync(process.execPath, [path.join(__dirname, "run.js"), ...args], { encoding: "utf8", maxBuffer: 1 << 20 });
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
  const work = mkdtempSync(path.join(os.tmpdir(), "avhealth-bench-fetch-"));
  const results = [];
  let auto;
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
        // The default method on the same fleet: 11 JSON probe pages, then the export.
        autos.push(measure("fetch", "auto", JSON.stringify(files.conn), path.join(work, "auto.ndjson.gz")));
      }
    } finally {
      await files.stop();
    }
    results.push(summarize("files method", fetches, floors, references));
    auto = { devices: autos[0].devices, complete: autos.every((m) => m.complete), wallSeconds: round(median(autos.map((m) => m.seconds))), peakRssMb: round(Math.max(...autos.map((m) => m.peakRssMb))) };

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
  const meets = f.complete && j.complete && f.wallRatio <= 2 && f.peakRssMb < 512 && j.wallRatio <= 2 && auto.peakRssMb < 512;
  const row = (name, m, rss) =>
    `| ${name} | ${m.devices.toLocaleString("en-US")} | ${m.wallSeconds} s (${m.cpuSeconds} s) | ${m.floorWallSeconds} s (${m.floorCpuSeconds} s) | ` +
    `**${m.wallRatio}x** (${m.cpuRatio}x) | ≤ 2x | ${m.referenceWallSeconds} s (${m.referenceCpuSeconds} s) | ${m.referenceWallRatio}x (${m.referenceCpuRatio}x) | ${m.peakRssMb} MB | ${rss} |`;
  console.log(
    [
      `fetch benchmark, median of ${runs} runs: wall time, CPU time of the client process in brackets`,
      "",
      "| method | devices | fetch | floor | fetch ÷ floor | target | reference: download + parse | fetch ÷ reference | peak RSS | target |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      row("files", f, "< 512 MB"),
      row("json", j, ""),
      "",
      `snapshot writing after the last part or page (merge, digest, gzip): files ${f.writeSeconds} s, json ${j.writeSeconds} s`,
      `method auto on the files fleet (JSON probe, then the export): ${auto.wallSeconds} s, peak RSS ${auto.peakRssMb} MB (target < 512 MB), complete: ${auto.complete}`,
      `targets ${meets ? "met" : "NOT met"}`,
    ].join("\n"),
  );
  console.log(JSON.stringify({ results, auto }));
  if (!meets) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
