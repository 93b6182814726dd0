/**
 * The emulator in its own process, so that its CPU and memory are not counted against the client:
 *   node bench/fetch/emulator.js '{"devices":1000000,"parts":2,...}'
 * Builds the export parts before answering, prints one JSON line (connection values and dataDir), and runs
 * until its stdin closes.
 */
"use strict";
const path = require("node:path");
const { startEmulator } = require(path.join(__dirname, "../../dist/src/emulator"));

async function main() {
  const options = JSON.parse(process.argv[2] || "{}");
  const emulator = await startEmulator({ rateLimit: "off", ...options });
  if (options.prepareExport !== false) await emulator.prepareExport();
  const { apiUrl, authorityHost, tenantId, clientId, clientSecret, caCertPath, dataDir } = emulator;
  process.stdout.write(`${JSON.stringify({ apiUrl, authorityHost, tenantId, clientId, clientSecret, caCertPath, dataDir })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    emulator.close().then(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
