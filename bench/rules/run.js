/**
 * One measurement in a fresh process, so peak RSS belongs to that measurement alone:
 *   node bench/rules/run.js floor SNAPSHOT        read and parse every device, no rules
 *   node bench/rules/run.js eval SNAPSHOT RULES   evaluate RULES over the same snapshot
 * Prints one JSON line.
 */
"use strict";
const path = require("node:path");
// AVHEALTH_DIST: a compiled tree other than the repository's dist/ (bench.js --dist), e.g. a private build.
const dist = path.join(process.env.AVHEALTH_DIST || path.join(__dirname, "../../dist"), "src");
const { readSnapshot } = require(path.join(dist, "snapshot"));
const { loadRuleFile, evaluate } = require(path.join(dist, "rules"));
const { NOW } = require("./fleet");

async function main() {
  const [mode, snapshotPath, rulesPath] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const snapshot = await readSnapshot(snapshotPath);
  let devices = 0;
  let rules = 0;
  let failing = 0;
  if (mode === "floor") {
    for await (const device of snapshot.devices()) if (device.machineId) devices++;
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
  process.stdout.write(`${JSON.stringify({ mode, devices, rules, failing, seconds, cpuSeconds, peakRssMb })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
