/**
 * Signed-publication benchmark (runs on the compiled output: `npm run build` first):
 *   node bench/publication/bench.js [--devices N] [--runs R] [--fetch-devices M] [--skip-publish]
 *
 * - gate: a published N-device snapshot (default 1,000,000) read from Azurite (download into an empty cache,
 *   verify, evaluate the 20 rules of bench/rules) against evaluating the same snapshot from a local file
 *   (target ≤ 1.2x);
 * - verification alone (envelope, signature, sha256 of the file, header) against that evaluation (target ≤ 10%);
 * - `avhealth publish` (fetch + sign + upload to Azurite) against `avhealth fetch --out` of the same M-device
 *   emulator fleet (default 1,000,000; files method; target ≤ 1.1x);
 * - peak RSS of every measurement (target < 512 MB).
 * Azurite and the emulator run in their own processes. CPU time (user + system of the measured process, all its
 * threads) decides, as in the rules benchmark: on the shared 2-core machine wall time mostly measures the
 * neighbours (and Azurite's own work on the same cores). Wall-time ratios are printed beside.
 */
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { createHash, generateKeyPairSync } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { writeFleet } = require("../rules/fleet");

const ROOT = path.join(__dirname, "../..");
const DIST = path.join(ROOT, "dist", "src");
const TENANT = "00000000-0000-0000-0000-00000000b3c4";
const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

function measure(env, ...args) {
  return JSON.parse(execFileSync(process.execPath, [path.join(__dirname, "run.js"), ...args], { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 20 }).trim().split("\n").pop());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Starts a child that prints one line matching `pattern` when ready; resolves with the match and the child. */
function startChild(args, pattern, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
    let out = "";
    const onData = (chunk) => {
      out += chunk.toString("utf8");
      const match = pattern.exec(out);
      if (match) resolve({ child, match });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args[0]} exited ${code}: ${out.slice(-2000)}`)));
  });
}

async function main() {
  const devices = flag("devices", 1_000_000);
  const runs = flag("runs", 3);
  const fetchDevices = flag("fetch-devices", 1_000_000);
  const skipPublish = process.argv.includes("--skip-publish");
  const rules = path.join(ROOT, "bench/rules/rules.yaml");
  const dir = path.join(os.tmpdir(), "avhealth-bench");
  fs.mkdirSync(dir, { recursive: true });
  // The rules benchmark's fleet (schema 1, sorted), rewritten once as the schema-2 file that publish uploads.
  const sorted = path.join(dir, `snapshot-v3-${devices}.ndjson.gz`);
  if (!fs.existsSync(sorted)) {
    await writeFleet(`${sorted}.tmp`, devices);
    fs.renameSync(`${sorted}.tmp`, sorted);
  }
  const snapshot = path.join(dir, `snapshot-v3-schema2-${devices}.ndjson.gz`);
  if (!fs.existsSync(snapshot)) {
    const { readSnapshot, SnapshotWriter } = require(path.join(DIST, "snapshot"));
    const opened = await readSnapshot(sorted);
    const writer = new SnapshotWriter({ fetchedAt: new Date(opened.header.fetchedAt), tmpDir: dir });
    for await (const device of opened.devices()) writer.add(device);
    await writer.finish({ outPath: `${snapshot}.tmp`, method: "files", generatedTime: opened.header.generatedTime, source: { apiUrl: "https://api.securitycenter.microsoft.com", tenantId: TENANT, filter: null } });
    fs.renameSync(`${snapshot}.tmp`, snapshot);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-bench-pub-"));
  const azurite = await startChild(
    [path.join(ROOT, "node_modules/azurite/dist/src/blob/main.js"), "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry"],
    /listens on http:\/\/127\.0\.0\.1:(\d+)/,
  );
  const serviceUrl = `http://127.0.0.1:${azurite.match[1]}/devstoreaccount1`;
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=${serviceUrl};`;
  const env = { AZURE_STORAGE_CONNECTION_STRING: connectionString };
  try {
    // The publication of the local snapshot: signed statement, snapshot and envelope in Azurite and in a directory.
    const { BlobServiceClient } = require("@azure/storage-blob");
    await BlobServiceClient.fromConnectionString(connectionString).getContainerClient("avhealth").createIfNotExists();
    const { buildStatement, PAYLOAD_TYPE, LATEST_NAME, subjectName } = require(path.join(DIST, "publication"));
    const { signEnvelope, loadPrivateKey } = require(path.join(DIST, "signing"));
    const { readSnapshot } = require(path.join(DIST, "snapshot"));
    const { openStore, parseLocation } = require(path.join(DIST, "store"));
    const pair = generateKeyPairSync("ed25519");
    const pub = path.join(work, "signing.pub");
    fs.writeFileSync(pub, pair.publicKey.export({ type: "spki", format: "pem" }));
    const { header } = await readSnapshot(snapshot);
    const sha256 = createHash("sha256").update(fs.readFileSync(snapshot)).digest("hex");
    const statement = buildStatement(sha256, {
      tenantId: TENANT, cloud: "commercial", apiUrl: "https://api.securitycenter.microsoft.com", method: header.method, deviceCount: header.deviceCount,
      complete: true, digest: header.digest, snapshotSchemaVersion: 2, generatedTime: null, fetchedAt: header.fetchedAt,
      expiresAt: new Date(Date.parse(header.fetchedAt) + 25 * 3_600_000).toISOString(), publisher: { tool: "bench", version: "0" },
    });
    const envelope = Buffer.from(JSON.stringify(signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), loadPrivateKey(pair.privateKey.export({ type: "pkcs8", format: "pem" }), "bench"))));
    const azureLocation = `${serviceUrl}/avhealth/bench`;
    const dirLocation = path.join(work, "store");
    for (const location of [azureLocation, dirLocation]) {
      const store = openStore(parseLocation(location, work), { credentials: { connectionString } });
      await store.write(subjectName(sha256), { file: snapshot });
      await store.write(LATEST_NAME, { body: envelope });
    }

    const locals = [];
    const gates = [];
    const verifies = [];
    for (let i = 0; i < runs; i++) {
      locals.push(measure(env, "local", snapshot, rules));
      const cache = fs.mkdtempSync(path.join(work, "cache-"));
      gates.push(measure(env, "gate", azureLocation, pub, TENANT, rules, cache));
      fs.rmSync(cache, { recursive: true, force: true });
      verifies.push(measure(env, "verify", dirLocation, pub, TENANT));
    }
    const pick = (list, key) => median(list.map((m) => m[key]));
    const result = {
      devices,
      runs,
      snapshotMb: Math.round(fs.statSync(snapshot).size / 1e5) / 10,
      local: { wall: pick(locals, "seconds"), cpu: pick(locals, "cpuSeconds"), rss: Math.max(...locals.map((m) => m.peakRssMb)) },
      gate: { wall: pick(gates, "seconds"), cpu: pick(gates, "cpuSeconds"), rss: Math.max(...gates.map((m) => m.peakRssMb)) },
      verify: { wall: pick(verifies, "seconds"), cpu: pick(verifies, "cpuSeconds"), rss: Math.max(...verifies.map((m) => m.peakRssMb)) },
    };
    result.gateOverLocal = round(result.gate.cpu / result.local.cpu);
    result.verifyOverEvaluation = round(result.verify.cpu / result.local.cpu);
    result.wall = { gateOverLocal: round(result.gate.wall / result.local.wall), verifyOverEvaluation: round(result.verify.wall / result.local.wall) };

    if (!skipPublish) {
      const emulator = await startChild([path.join(ROOT, "bench/fetch/emulator.js"), JSON.stringify({ devices: fetchDevices, parts: 14 })], /^\{.*\}$/m);
      try {
        const e = JSON.parse(emulator.match[0]);
        const emuEnv = {
          ...env, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_ID: e.clientId, AZURE_CLIENT_SECRET: e.clientSecret, AVHEALTH_API_URL: e.apiUrl,
          AZURE_AUTHORITY_HOST: e.authorityHost, AVHEALTH_CA_FILE: e.caCertPath, AVHEALTH_SIGNING_KEY: pair.privateKey.export({ type: "pkcs8", format: "pem" }),
        };
        const fetches = [];
        const publishes = [];
        for (let i = 0; i < runs; i++) {
          fetches.push(measure(emuEnv, "cli", JSON.stringify(["fetch", "--method", "files", "--out", path.join(work, `fetched-${i}.ndjson.gz`)])));
          publishes.push(measure(emuEnv, "cli", JSON.stringify(["publish", "--method", "files", "--to", `${serviceUrl}/avhealth/published`, "--keep", "1"])));
          fs.rmSync(path.join(work, `fetched-${i}.ndjson.gz`), { force: true });
        }
        result.fetchDevices = fetchDevices;
        result.fetch = { wall: pick(fetches, "seconds"), cpu: pick(fetches, "cpuSeconds"), rss: Math.max(...fetches.map((m) => m.peakRssMb)) };
        result.publish = { wall: pick(publishes, "seconds"), cpu: pick(publishes, "cpuSeconds"), rss: Math.max(...publishes.map((m) => m.peakRssMb)) };
        result.publishOverFetch = round(result.publish.cpu / result.fetch.cpu);
        result.wall.publishOverFetch = round(result.publish.wall / result.fetch.wall);
      } finally {
        emulator.child.stdin.end();
      }
    }
    const peak = Math.max(result.local.rss, result.gate.rss, result.verify.rss, result.fetch?.rss ?? 0, result.publish?.rss ?? 0);
    result.meetsTargets = result.gateOverLocal <= 1.2 && result.verifyOverEvaluation <= 0.1 && (result.publishOverFetch ?? 0) <= 1.1 && peak < 512;
    const row = (name, m) => `| ${name} | ${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s | ${Math.round(m.rss)} MB |`;
    console.log(
      [
        `publication benchmark: ${devices.toLocaleString("en-US")} devices (${result.snapshotMb} MB), median of ${runs} run(s)`,
        "",
        "| measurement | wall | CPU | peak RSS |",
        "|---|---:|---:|---:|",
        row("evaluate 20 rules from a local file (baseline)", result.local),
        row("gate: download from Azurite, verify, evaluate 20 rules", result.gate),
        row("verification alone (signature, sha256, header)", result.verify),
        ...(result.fetch ? [row(`fetch --out (${fetchDevices.toLocaleString("en-US")} devices, files)`, result.fetch), row("publish to Azurite (same fleet)", result.publish)] : []),
        "",
        `CPU: gate / local ${result.gateOverLocal}x (target <= 1.2x); verification / evaluation ${Math.round(result.verifyOverEvaluation * 1000) / 10}% (target <= 10%)` +
          (result.fetch ? `; publish / fetch ${result.publishOverFetch}x (target <= 1.1x)` : "") + `; peak RSS ${Math.round(peak)} MB (target < 512 MB)`,
        `wall: gate / local ${result.wall.gateOverLocal}x; verification / evaluation ${Math.round(result.wall.verifyOverEvaluation * 1000) / 10}%` +
          (result.fetch ? `; publish / fetch ${result.wall.publishOverFetch}x` : ""),
        `targets ${result.meetsTargets ? "met" : "NOT met"}`,
      ].join("\n"),
    );
    console.log(JSON.stringify(result));
    if (!result.meetsTargets) process.exitCode = 1;
  } finally {
    azurite.child.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
