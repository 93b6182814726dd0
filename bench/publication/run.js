/**
 * One measurement of the publication benchmark in a fresh process (peak RSS is this measurement's alone):
 *   node bench/publication/run.js local SNAPSHOT RULES                 evaluate RULES over a local snapshot file
 *   node bench/publication/run.js gate LOCATION PUB TENANT RULES CACHE download (fresh CACHE), verify, evaluate
 *   node bench/publication/run.js verify LOCATION PUB TENANT           verification alone of a directory store
 *                                                                      (envelope, signature, file sha256, header)
 *   node bench/publication/run.js cli ARGS_JSON                        one `avhealth` command in-process
 * The store's connection string comes from AZURE_STORAGE_CONNECTION_STRING. Prints one JSON line.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const dist = path.join(process.env.AVHEALTH_DIST || path.join(__dirname, "../../dist"), "src");
const { readSnapshot } = require(path.join(dist, "snapshot"));
const { loadRuleFile, evaluate } = require(path.join(dist, "rules"));
const { LocalCopies, verifyPublication } = require(path.join(dist, "publication"));
const { loadPublicKey } = require(path.join(dist, "signing"));
const { openStore, parseLocation } = require(path.join(dist, "store"));
const { NOW } = require("../rules/fleet");

async function verified(location, pub, tenantId, cacheDir) {
  const store = openStore(parseLocation(location, process.cwd()), { credentials: { connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING } });
  return verifyPublication({
    store,
    keys: [loadPublicKey(fs.readFileSync(pub, "utf8"), pub)],
    pins: { tenantId, cloud: "commercial", maxAgeMs: 1000 * 86_400_000 },
    now: new Date(NOW),
    copies: new LocalCopies(cacheDir, store.location),
  });
}

async function evaluateFile(file, rulesPath) {
  const ruleSet = await loadRuleFile(rulesPath);
  const { report } = await evaluate(ruleSet, await readSnapshot(file), new Date(NOW));
  return { devices: report.snapshot.deviceCount, rules: report.rules.length };
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let out = {};
  if (mode === "local") {
    out = await evaluateFile(args[0], args[1]);
  } else if (mode === "gate") {
    const [location, pub, tenant, rules, cache] = args;
    const publication = await verified(location, pub, tenant, cache);
    out = await evaluateFile(publication.snapshotPath, rules);
  } else if (mode === "verify") {
    const [location, pub, tenant] = args;
    const publication = await verified(location, pub, tenant, path.join(require("node:os").tmpdir(), "avhealth-bench-unused"));
    out = { devices: publication.predicate.deviceCount };
  } else if (mode === "cli") {
    const { runCli } = require(path.join(dist, "cli/main"));
    const sink = new (require("node:stream").PassThrough)();
    sink.resume();
    const code = await runCli(JSON.parse(args[0]), { stdout: sink, stderr: sink, stdoutIsTTY: false, stderrIsTTY: false, env: process.env, cwd: process.cwd() });
    if (code !== 0) throw new Error(`avhealth ${JSON.parse(args[0])[0]} exited ${code}`);
    out = { code };
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  process.stdout.write(`${JSON.stringify({ mode, ...out, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
