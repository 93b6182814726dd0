/**
 * Device i of a seeded fleet, in the /api/deviceavinfo shape (defender-api.md §1.2/§2.1): string avMode codes,
 * "True"/"False"/"Unknown" strings, "" for missing scans, null or 0001-01-01 for unset times, the three
 * undocumented fields, id = machineId. Times are relative to a reference time so a fleet is stable for a test.
 */
import { DAY_MS, DOMAINS, HOUR_MS, MARKUP_NAMES, MINUTE_MS, NON_ASCII_NAMES, SCAN_ERRORS, SENTINEL_TIME } from "./catalog";
import { isoTime } from "./iso-time";
import { Rng, type SeedWords } from "./prng";
import { deviceTraits, type DeviceTraits, type ScanOutcome, type UpdateState } from "./traits";
import type { ApiDeviceRecord } from "../types";

/** A 40-hex machine id: 32 random hex chars, then 8 that are a bijection of the index, so ids never collide. */
function machineId(rng: Rng, index: number, seed: SeedWords): string {
  const tail = (Math.imul(index >>> 0, 0x9e3779b1) ^ seed[3]) >>> 0;
  return rng.hex(32) + tail.toString(16).padStart(8, "0");
}

function hostName(traits: DeviceTraits, rng: Rng, index: number): string {
  const number = String(index).padStart(6, "0");
  const domain = rng.pick(DOMAINS);
  if (traits.name === "markup") return `${MARKUP_NAMES[traits.markupName ?? -1] ?? rng.pick(MARKUP_NAMES)}-${number}`;
  if (traits.name === "nonAscii") return `${rng.pick(NON_ASCII_NAMES)}-${number}.${domain}`;
  return `${traits.platform.prefix}-${number}.${domain}`;
}

interface Versions {
  signature: string;
  engine: string;
  platform: string;
}

function versions(traits: DeviceTraits, rng: Rng): Versions {
  const windows = traits.platform.osKind === "windows";
  const current = (state: UpdateState): boolean => state !== "old";
  const engineBuild = current(traits.engine) ? rng.pick(["25010.7", "25010.11"]) : rng.pick(["24030.4", "24080.9", "23110.6"]);
  const platformBuild = current(traits.platformState) ? rng.pick(["25010.11", "25010.9"]) : rng.pick(["24030.9", "24080.8", "2206.108"]);
  return {
    signature: current(traits.signature) ? `1.421.${rng.int(1000, 1999)}.0` : `1.419.${rng.int(100, 999)}.0`,
    engine: `1.1.${engineBuild}`,
    // Defender for macOS/Linux numbers its platform like 101.24092.0002.
    platform: windows ? `4.18.${platformBuild}` : `101.${platformBuild.replace(".", ".000")}`,
  };
}

interface Scan {
  result: string;
  error: string;
  time: string | null;
}

function scan(outcome: ScanOutcome, rng: Rng, latestMs: number): Scan {
  const time = isoTime(latestMs - rng.int(10 * MINUTE_MS, 6 * DAY_MS), rng.chance(0.3));
  switch (outcome) {
    case "completed":
      return { result: "Completed", error: "", time };
    case "failed":
      return { result: "Failed", error: rng.pick(SCAN_ERRORS), time };
    case "canceled":
      return { result: "Canceled", error: "", time };
    case "cancelled":
      return { result: "Cancelled", error: "", time };
    case "never-null":
      return { result: "", error: "", time: null };
    case "never-sentinel":
      return { result: "", error: "", time: SENTINEL_TIME };
  }
}

function flag(state: UpdateState): string {
  return state === "ok" ? "True" : state === "old" ? "False" : "Unknown";
}

/** Device `index` of the fleet `seed`, generated alone: no other device is computed. */
export function generateDevice(seed: SeedWords, index: number, referenceMs: number): ApiDeviceRecord {
  const rng = new Rng(seed, index);
  const traits = deviceTraits(index, rng);
  const id = machineId(rng, index, seed);
  const windows = traits.platform.osKind === "windows";

  const refresh = traits.stale ? referenceMs - rng.int(8 * DAY_MS, 90 * DAY_MS) : referenceMs - rng.int(5 * MINUTE_MS, 20 * HOUR_MS);
  const lastSeen = refresh - rng.int(0, 6 * HOUR_MS);
  const publish = traits.signature === "old" ? refresh - rng.int(8 * DAY_MS, 40 * DAY_MS) : refresh - rng.int(HOUR_MS, 3 * DAY_MS);
  const sigUpdate = Math.min(refresh, publish + rng.int(10 * MINUTE_MS, 6 * HOUR_MS));
  const engineUpdate = refresh - rng.int(DAY_MS, traits.engine === "old" ? 120 * DAY_MS : 25 * DAY_MS);
  const platformUpdate = refresh - rng.int(DAY_MS, traits.platformState === "old" ? 200 * DAY_MS : 25 * DAY_MS);
  const v = versions(traits, rng);
  const quick = scan(traits.quick, rng, refresh);
  const full = scan(traits.full, rng, refresh);
  const cloud = windows ? rng.weighted<string | null>([["On", 85], ["Off", 10], [null, 5]]) : rng.chance(0.5) ? null : "On";
  const sentinel = traits.sentinelUpdateTimes;

  return {
    id,
    machineId: id,
    computerDnsName: hostName(traits, rng, index),
    osKind: traits.platform.osKind,
    osPlatform: traits.platform.osPlatform,
    osVersion: rng.pick(traits.platform.versions),
    avMode: traits.avMode,
    avSignatureVersion: v.signature,
    avEngineVersion: v.engine,
    avPlatformVersion: v.platform,
    lastSeenTime: isoTime(lastSeen),
    quickScanResult: quick.result,
    quickScanError: quick.error,
    quickScanTime: quick.time,
    fullScanResult: full.result,
    fullScanError: full.error,
    fullScanTime: full.time,
    dataRefreshTimestamp: isoTime(refresh),
    avEngineUpdateTime: sentinel ? SENTINEL_TIME : isoTime(engineUpdate),
    avSignatureUpdateTime: sentinel ? SENTINEL_TIME : isoTime(sigUpdate),
    avPlatformUpdateTime: sentinel ? SENTINEL_TIME : isoTime(platformUpdate),
    avIsSignatureUpToDate: flag(traits.signature),
    avIsEngineUpToDate: flag(traits.engine),
    avIsPlatformUpToDate: flag(traits.platformState),
    avSignaturePublishTime: traits.signature === "unknown" && rng.chance(0.5) ? null : isoTime(publish),
    rbacGroupName: traits.group.name,
    rbacGroupId: traits.group.id,
    avSignatureDataRefreshTime: isoTime(refresh - rng.int(0, 2 * HOUR_MS)),
    cloudProtectionState: cloud,
    avModeDataRefreshTime: isoTime(refresh - rng.int(0, 3 * HOUR_MS)),
  };
}
