/**
 * `npm run bench`: every benchmark, one after the other (they would disturb each other's timings if run
 * together on two cores). Each prints a Markdown table of ratios against a floor measured in the same run;
 * extra arguments are passed to each benchmark (e.g. `npm run bench -- --runs 1`).
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const BENCHMARKS = [
  ["fetch (JSON and files methods against the emulator)", "fetch/bench.js"],
  ["rules (20 rules over 1,000,000 devices)", "rules/bench.js"],
  ["reports (check with examples/rules/compliance.yaml over a 1,000,000-device emulator fleet)", "rules/reports.js"],
  ["signed publications (gate from Azurite, verification, publish)", "publication/bench.js"],
];

let failed = 0;
for (const [title, script] of BENCHMARKS) {
  process.stdout.write(`\n## ${title}\n\n`);
  const run = spawnSync(process.execPath, [path.join(__dirname, script), ...process.argv.slice(2)], { stdio: "inherit" });
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`bench: ${script} exited ${run.status ?? run.signal}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
