/**
 * The fleet is a managed estate with typical health: each rule fails for roughly 1-6% of devices (about 1% are
 * stale), so the report carries a realistic number of failing-device entries (printed by bench.js).
 *
 * Writes a synthetic avhealth snapshot (gzip NDJSON: header line, then device lines in machineId order with
 * the fixed key order of serializeDevice) of N devices, deterministic for a given N, relative to NOW.
 */
"use strict";
const { createHash } = require("node:crypto");
const { createWriteStream } = require("node:fs");
const { createGzip, constants } = require("node:zlib");
const { once } = require("node:events");

const NOW = Date.parse("2026-01-15T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PLATFORMS = ["4.18.24090.11", "4.18.24080.9", "4.18.24050.7", "4.18.24020.7", "4.18.23110.3", "4.18.2302.7"];
const ENGINES = ["1.1.24090.11", "1.1.24080.9", "1.1.24030.4", "1.1.23110.2"];
const GROUPS = Array.from({ length: 50 }, (_, k) => (k < 30 ? `Prod-${k}` : k < 45 ? `Office-${k}` : `Lab-${k}`));

/** mulberry32: a small deterministic PRNG so every run benchmarks the same fleet. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

function tri(r) {
  const x = r();
  return x < 0.95 ? true : x < 0.98 ? false : null;
}

function iso(ms) {
  return new Date(ms).toISOString();
}

function device(i, r) {
  const server = r() < 0.2;
  const os = server ? pick(r, ["WindowsServer2019", "WindowsServer2022"]) : r() < 0.9 ? pick(r, ["Windows10", "Windows11"]) : pick(r, ["Linux", "macOS"]);
  const osKind = os === "Linux" ? "linux" : os === "macOS" ? "mac" : "windows";
  const modeRoll = r();
  const stale = r() < 0.01;
  const refresh = stale ? NOW - (8 + r() * 20) * DAY : NOW - r() * 20 * HOUR;
  const group = Math.floor(r() * GROUPS.length);
  const quickAge = r() < 0.96 ? r() * 6 * DAY : r() * 20 * DAY;
  return {
    machineId: i.toString(16).padStart(40, "0"),
    computerDnsName: r() < 0.005 ? null : `host-${i}.corp${i % 7}.contoso.com`,
    osKind,
    osPlatform: os,
    osVersion: "10.0.22631.3447",
    avMode: modeRoll < 0.96 ? "active" : modeRoll < 0.98 ? "passive" : modeRoll < 0.99 ? "disabled" : "other",
    avSignatureVersion: `1.${415 + Math.floor(r() * 6)}.${Math.floor(r() * 2000)}.0`,
    // Most devices run one of the two newest builds; a tail lags behind.
    avEngineVersion: r() < 0.95 ? ENGINES[Math.floor(r() * 2)] : pick(r, ENGINES),
    avPlatformVersion: r() < 0.95 ? PLATFORMS[Math.floor(r() * 2)] : pick(r, PLATFORMS),
    avIsSignatureUpToDate: tri(r),
    avIsEngineUpToDate: tri(r),
    avIsPlatformUpToDate: tri(r),
    quickScanResult: r() < 0.97 ? "Completed" : "Failed",
    quickScanError: r() < 0.03 ? "0x80508023" : null,
    quickScanTime: iso(NOW - quickAge),
    fullScanResult: "Completed",
    fullScanError: null,
    fullScanTime: r() < 0.03 ? null : iso(NOW - (r() < 0.97 ? r() * 28 : 28 + r() * 30) * DAY),
    lastSeenTime: iso(refresh + HOUR),
    dataRefreshTimestamp: iso(refresh),
    avSignatureUpdateTime: iso(NOW - (r() < 0.9 ? r() * DAY : r() * 5 * DAY)),
    avEngineUpdateTime: iso(NOW - r() * 30 * DAY),
    avPlatformUpdateTime: iso(NOW - r() * 30 * DAY),
    avSignaturePublishTime: iso(NOW - r() * 3 * DAY),
    avSignatureDataRefreshTime: iso(NOW - (r() < 0.95 ? r() * 20 * HOUR : r() * 5 * DAY)),
    avModeDataRefreshTime: iso(refresh),
    cloudProtectionState: r() < 0.97 ? "Enabled" : null,
    rbacGroupId: group + 1,
    rbacGroupName: GROUPS[group],
  };
}

/** Writes the snapshot; the digest covers the device lines exactly as the reader verifies them. */
async function writeFleet(path, count) {
  const r = prng(count);
  const hash = createHash("sha256");
  const lines = [];
  const batch = 10_000;
  // The header needs the digest, so the device lines are generated twice: once to hash, once to write.
  for (let i = 1; i <= count; i++) hash.update(`${JSON.stringify(device(i, r))}\n`);
  const header = {
    kind: "avhealth-snapshot",
    schemaVersion: 1,
    method: "files",
    complete: true,
    deviceCount: count,
    generatedTime: iso(NOW - HOUR),
    fetchedAt: iso(NOW - HOUR),
    source: { apiUrl: null, filter: null },
    digest: `sha256:${hash.digest("hex")}`,
  };
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  const out = createWriteStream(path);
  gzip.pipe(out);
  gzip.write(`${JSON.stringify(header)}\n`);
  const again = prng(count);
  for (let i = 1; i <= count; i++) {
    lines.push(JSON.stringify(device(i, again)));
    if (lines.length === batch || i === count) {
      if (!gzip.write(`${lines.join("\n")}\n`)) await once(gzip, "drain");
      lines.length = 0;
    }
  }
  gzip.end();
  await once(out, "finish");
}

module.exports = { writeFleet, NOW };
