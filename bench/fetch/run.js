/**
 * One measurement in a fresh process, so that peak RSS belongs to that measurement alone. Prints one JSON line.
 *   node bench/fetch/run.js fetch METHOD CONN_JSON OUT     fetchSnapshot by METHOD from the emulator in CONN_JSON
 *   node bench/fetch/run.js floor-files DIR                 gunzip + JSON.parse (nested strings too) every part in DIR
 *   node bench/fetch/run.js floor-json CONN_JSON            download the JSON pages (untimed), then time JSON.parse of them
 *   node bench/fetch/run.js fetched-files CONN_JSON         reference: request the export, download every part from the
 *                                                           emulator (4 at a time) and gunzip + JSON.parse it, nothing kept
 *   node bench/fetch/run.js fetched-json CONN_JSON          reference: download the JSON pages and JSON.parse each, nothing kept
 */
"use strict";
const { createReadStream, readdirSync } = require("node:fs");
const path = require("node:path");
const { pipeline } = require("node:stream");
const { createGunzip } = require("node:zlib");
const { Agent, request } = require("undici");
const { readFileSync } = require("node:fs");
const dist = path.join(__dirname, "../../dist/src");

function measured(started, cpuStarted, extra) {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time of all threads (zlib's included) is steadier than wall time on a shared machine.
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024, ...extra };
}

async function fetchMode(method, conn, out) {
  const { openApiClient } = require(path.join(dist, "http/open"));
  const { fetchSnapshot } = require(path.join(dist, "fetch"));
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const client = await openApiClient({
    overrides: { tenantId: conn.tenantId, clientId: conn.clientId, clientSecret: conn.clientSecret, apiUrl: conn.apiUrl, authorityHost: conn.authorityHost, caFile: conn.caCertPath },
    env: {},
    budget: "off",
  });
  // When the last page or part arrived: the rest is de-duplication, the digest and the assembly of the snapshot file.
  let lastData = started;
  const onProgress = (event) => {
    if (event.kind === "part" || event.kind === "page") lastData = process.hrtime.bigint();
  };
  try {
    const result = await fetchSnapshot({ client, method, outPath: out, onProgress });
    const writeSeconds = Number(process.hrtime.bigint() - lastData) / 1e9;
    return measured(started, cpuStarted, { devices: result.header.deviceCount, complete: result.header.complete, writeSeconds });
  } finally {
    await client.close();
  }
}

function partFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...partFiles(full));
    else if (entry.name.endsWith(".json.gz")) out.push(full);
  }
  return out.sort();
}

/** The floor of the files method: the same part files from local disk, 4 at a time as the client downloads them. */
async function floorFiles(dir) {
  const parts = partFiles(dir);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const devices = await parseParts(parts, async (file) => createReadStream(file, { highWaterMark: 1 << 20 }));
  return measured(started, cpuStarted, { devices, parts: parts.length });
}

/**
 * Gunzips and parses the parts `open` gives streams for, 4 at a time; resolves with the record count. Lines are
 * split by the library's own splitter, so the floor and the client differ only in what the client does beyond
 * gunzip + JSON.parse.
 */
async function parseParts(parts, open) {
  const { readLineBatches } = require(path.join(dist, "normalize/lines"));
  let devices = 0;
  const parseOne = async (part) => {
    const gunzip = createGunzip({ chunkSize: 128 * 1024 });
    pipeline(await open(part), gunzip, () => undefined);
    for await (const batch of readLineBatches(gunzip)) {
      for (const line of batch) if (line !== "") devices += parseRecord(line);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < parts.length) await parseOne(parts[next++]);
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return devices;
}

function parseRecord(line) {
  const record = JSON.parse(line);
  const info = JSON.parse(record.DeviceGatheredInfo);
  if (typeof info.AvScanResults === "string") JSON.parse(info.AvScanResults);
  return 1;
}

/** A plain undici client with a token (untimed), as the least any client of the emulator has to set up. */
async function plainClient(conn) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(conn.caCertPath, "utf8") } });
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: conn.clientId, client_secret: conn.clientSecret, scope: "https://api.securitycenter.microsoft.com/.default" });
  const tokenResponse = await request(`${conn.authorityHost}/${conn.tenantId}/oauth2/v2.0/token`, {
    dispatcher, method: "POST", body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const token = (await tokenResponse.body.json()).access_token;
  return { dispatcher, headers: { authorization: `Bearer ${token}` } };
}

/** Every JSON page, in order, each given to `each` as text; resolves with the page count. */
async function jsonPageTexts(conn, client, each) {
  for (let skip = 0, pages = 1; ; skip += 10_000, pages++) {
    const page = await request(`${conn.apiUrl}/api/deviceavinfo?$top=10000${skip ? `&$skip=${skip}` : ""}`, client);
    if (each(await page.body.text()) < 10_000) return pages;
  }
}

/** The floor of the JSON method: JSON.parse of the very page bodies the method receives. */
async function floorJson(conn) {
  const client = await plainClient(conn);
  const bodies = [];
  await jsonPageTexts(conn, client, (text) => bodies.push(text) && JSON.parse(text).value.length);
  await client.dispatcher.close();
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let devices = 0;
  for (const text of bodies) devices += JSON.parse(text).value.length;
  return measured(started, cpuStarted, { devices, pages: bodies.length });
}

/** Reference for the JSON method: the same pages downloaded, decoded and parsed one after the other. */
async function fetchedJson(conn) {
  const client = await plainClient(conn);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let devices = 0;
  const pages = await jsonPageTexts(conn, client, (text) => {
    const n = JSON.parse(text).value.length;
    devices += n;
    return n;
  });
  const result = measured(started, cpuStarted, { devices, pages });
  await client.dispatcher.close();
  return result;
}

/** Reference for the files method: the export requested, every part downloaded and gunzipped + parsed. */
async function fetchedFiles(conn) {
  const client = await plainClient(conn);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const listing = await (await request(`${conn.apiUrl}/api/machines/InfoGatheringExport`, client)).body.json();
  const urls = listing.exportFiles;
  const devices = await parseParts(urls, async (url) => (await request(url, { dispatcher: client.dispatcher })).body);
  const result = measured(started, cpuStarted, { devices, parts: urls.length });
  await client.dispatcher.close();
  return result;
}

async function main() {
  const [mode, a, b, c] = process.argv.slice(2);
  let result;
  if (mode === "fetch") result = await fetchMode(a, JSON.parse(b), c);
  else if (mode === "floor-files") result = await floorFiles(a);
  else if (mode === "floor-json") result = await floorJson(JSON.parse(a));
  else if (mode === "fetched-json") result = await fetchedJson(JSON.parse(a));
  else if (mode === "fetched-files") result = await fetchedFiles(JSON.parse(a));
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`${JSON.stringify({ mode: mode === "fetch" ? a : mode, ...result })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
