#!/usr/bin/env node
"use strict";
/**
 * `npm run demo`: a `pulumi preview` of this repository's program (Pulumi.yaml, index.ts) with the policy pack in
 * policies/, against a local file backend in a temporary directory, then the gate result and where the reports
 * are. With no AZURE_TENANT_ID it serves a generated fleet from the embedded Defender API emulator on loopback;
 * with the AZURE_* variables set it reads the real tenant.
 *
 * Extra arguments go to `pulumi preview`, e.g. `npm run demo -- --policy-pack-config cfg.json`.
 *
 * Exit code: 0 when the preview ran and the gate gave a result (pass or fail: both are a working demo), else the
 * failing step's exit code.
 */
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const STACK = "demo";
const DEVICES = Number(process.env.AVHEALTH_DEMO_DEVICES || 2000);

const say = (text = "") => process.stdout.write(`${text}\n`);
const note = (text) => process.stderr.write(`demo: ${text}\n`);

/** Newest modification time of the TypeScript sources the demo runs from dist/. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The provider and the pack load the library from dist/: build it when missing or older than the sources. */
function ensureBuilt() {
  const outputs = ["dist/provider/impl.js", "dist/src/policy/index.js", "dist/src/emulator/index.js"].map((f) => path.join(ROOT, f));
  const built = outputs.every((f) => fs.existsSync(f)) ? Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs)) : 0;
  if (built >= Math.max(newestSource(path.join(ROOT, "src")), newestSource(path.join(ROOT, "provider")))) return;
  note("building the library (npm run build)...");
  const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new DemoError("npm run build failed; fix the build errors above and run the demo again", result.status ?? 1);
}

/** scripts/ensure-pulumi prints the toolchain directory as its last stdout line (progress goes to stderr). */
function ensurePulumi() {
  const result = spawnSync("bash", [path.join(ROOT, "scripts", "ensure-pulumi")], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (result.status !== 0) throw new DemoError("scripts/ensure-pulumi could not provide a Pulumi CLI; see its message above", result.status ?? 1);
  const lines = result.stdout.trim().split("\n");
  return lines[lines.length - 1].trim();
}

class DemoError extends Error {
  constructor(message, code) {
    super(message);
    this.exitCode = code;
  }
}

function run(binDir, args, env, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binDir, "pulumi"), [...args, "--non-interactive"], { cwd: ROOT, env, stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    if (options.quiet) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Policy events of the preview, from its --event-log. */
function readPolicyEvents(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line).policyEvent)
    .filter(Boolean);
}

async function main() {
  const started = Date.now();
  ensureBuilt();
  const { hasTenantConfig } = require("../dist/src/config");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-demo-"));
  const stackFile = path.join(ROOT, ".pulumi-state", "stacks", `Pulumi.${STACK}.yaml`);
  const env = { ...process.env };
  // A developer's own Pulumi login, backend or config must not leak into the demo (and vice versa).
  for (const key of Object.keys(env)) if (key.startsWith("PULUMI_")) delete env[key];
  let emulator;
  let source;
  try {
    if (hasTenantConfig(process.env)) {
      source = `your tenant ${process.env.AZURE_TENANT_ID} (AZURE_* variables)`;
    } else {
      const { startEmulator } = require("../dist/src/emulator");
      note(`no AZURE_TENANT_ID: starting the Defender API emulator with ${DEVICES} generated devices...`);
      emulator = await startEmulator({ devices: DEVICES, seed: 7 });
      source = `the embedded Defender API emulator at ${emulator.apiUrl} (${DEVICES} generated devices)`;
      Object.assign(env, {
        AZURE_TENANT_ID: emulator.tenantId,
        AZURE_CLIENT_ID: emulator.clientId,
        AZURE_CLIENT_SECRET: emulator.clientSecret,
        AVHEALTH_API_URL: emulator.apiUrl,
        AZURE_AUTHORITY_HOST: emulator.authorityHost,
        // The provider runs in its own process: it trusts the emulator's CA through Node's extra-CA variable.
        NODE_EXTRA_CA_CERTS: emulator.caCertPath,
        // Snapshots of throwaway emulator credentials stay in the temp directory.
        AVHEALTH_CACHE_DIR: path.join(work, "cache"),
      });
    }
    const binDir = ensurePulumi();
    Object.assign(env, {
      PATH: [binDir, process.env.PATH || ""].join(path.delimiter),
      PWD: ROOT,
      PULUMI_HOME: path.join(work, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "avhealth-demo",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // --event-log is a debug flag of the CLI.
      PULUMI_DEBUG_COMMANDS: "true",
    });
    fs.mkdirSync(path.join(work, "state"), { recursive: true });
    fs.mkdirSync(path.dirname(stackFile), { recursive: true });
    fs.rmSync(stackFile, { force: true });

    const init = await run(binDir, ["stack", "init", STACK, "--secrets-provider", "passphrase"], env, { quiet: true });
    if (init.code !== 0) throw new DemoError(`pulumi stack init failed:\n${init.output}`, init.code);

    const events = path.join(work, "events.jsonl");
    const extra = process.argv.slice(2);
    say(`\n$ pulumi preview --policy-pack policies ${extra.join(" ")}  (data: ${source})\n`);
    const preview = await run(binDir, ["preview", "--stack", STACK, "--policy-pack", "policies", ...extra, "--event-log", events], env);
    const policy = readPolicyEvents(events);
    const mandatory = policy.filter((e) => e.enforcementLevel === "mandatory");
    const advisory = policy.filter((e) => e.enforcementLevel !== "mandatory");
    const gateRan = preview.code === 0 || mandatory.length > 0;
    if (!gateRan) throw new DemoError(`pulumi preview failed (exit ${preview.code}) before the gate gave a result; see the output above`, preview.code);

    const reportDir = path.join(ROOT, "avhealth-reports");
    const reports = ["avhealth-report.json", "avhealth-report.md"]
      .map((name) => path.join(reportDir, name))
      .filter((file) => fs.existsSync(file) && fs.statSync(file).mtimeMs >= started);
    const names = (list) => [...new Set(list.map((e) => e.policyName))].join(", ");
    say("\n──── avhealth demo ────");
    say(`Data:    ${source}`);
    if (preview.code === 0) {
      say(`Gate:    PASS (pulumi preview exited 0)${advisory.length ? `, with ${advisory.length} advisory warning(s): ${names(advisory)}` : ""}`);
    } else {
      say(`Gate:    FAIL (pulumi preview exited ${preview.code}): mandatory rule(s) failed: ${names(mandatory)}`);
      if (advisory.length) say(`         and ${advisory.length} advisory warning(s): ${names(advisory)}`);
      const relevel = JSON.stringify(Object.fromEntries([...new Set(mandatory.map((e) => e.policyName))].map((name) => [name, "advisory"])));
      say(`         To see it pass, re-level for one run:  echo '${relevel}' > cfg.json`);
      say("         npm run demo -- --policy-pack-config cfg.json");
    }
    say(`Reports: ${reports.length ? reports.map((f) => path.relative(process.cwd(), f)).join(", ") : "(none written: see the output above)"}`);
    say(`Rules:   policies/compliance.yaml`);
    return 0;
  } finally {
    fs.rmSync(stackFile, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
    if (emulator) await emulator.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exitCode = error.exitCode || 1;
  },
);
