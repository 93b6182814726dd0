/**
 * What kind of device index i is: OS, avMode, up-to-date states, scan outcomes, name style. The first devices
 * are a fixed showcase, so even a 12-device fleet has every avMode, every OS family, Unknown flags, failed,
 * cancelled and never-run scans, a stale device, sentinel dates and hostile names; the rest are drawn by weight.
 */
import { GROUPS, PLATFORMS, PLATFORM_WEIGHTS, platformNamed, type Platform, type RbacGroup } from "./catalog";
import type { Rng } from "./prng";

export type UpdateState = "ok" | "old" | "unknown";
export type ScanOutcome = "completed" | "failed" | "canceled" | "cancelled" | "never-null" | "never-sentinel";
export type NameStyle = "plain" | "nonAscii" | "markup";

export interface DeviceTraits {
  platform: Platform;
  avMode: string;
  stale: boolean;
  signature: UpdateState;
  engine: UpdateState;
  platformState: UpdateState;
  quick: ScanOutcome;
  full: ScanOutcome;
  name: NameStyle;
  /** Which MARKUP_NAMES entry a showcase device uses, so small fleets always carry the worst ones. */
  markupName?: number;
  /** Update times set to 0001-01-01T00:00:00Z, as .NET's DateTime.MinValue leaks through. */
  sentinelUpdateTimes: boolean;
  group: RbacGroup;
}

type Showcase = Omit<DeviceTraits, "platform" | "group"> & { platform: string; group: RbacGroup };

const BASE: Omit<Showcase, "platform" | "avMode" | "group"> = {
  stale: false,
  signature: "ok",
  engine: "ok",
  platformState: "ok",
  quick: "completed",
  full: "never-null",
  name: "plain",
  sentinelUpdateTimes: false,
};

const SHOWCASE: readonly Showcase[] = [
  { ...BASE, platform: "Windows11", avMode: "0", group: GROUPS.eu, full: "completed" },
  { ...BASE, platform: "Windows10", avMode: "1", group: GROUPS.us, signature: "old", quick: "failed" },
  { ...BASE, platform: "WindowsServer2022", avMode: "2", group: GROUPS.servers, engine: "old", quick: "never-null", name: "markup", markupName: 0 },
  { ...BASE, platform: "macOS", avMode: "0", group: GROUPS.mac, signature: "unknown", engine: "unknown", platformState: "unknown", name: "nonAscii" },
  { ...BASE, platform: "Ubuntu", avMode: "4", group: GROUPS.linux, signature: "unknown", engine: "unknown", platformState: "unknown", quick: "never-sentinel" },
  { ...BASE, platform: "Windows10", avMode: "5", group: GROUPS.tvm, platformState: "old", quick: "cancelled", name: "markup", markupName: 1 },
  { ...BASE, platform: "Windows11", avMode: "3", group: GROUPS.eu, stale: true, signature: "unknown", engine: "unknown", platformState: "unknown" },
  { ...BASE, platform: "WindowsServer2019", avMode: "", group: GROUPS.servers, quick: "canceled", full: "failed" },
  { ...BASE, platform: "RedHatEnterpriseLinux", avMode: "1", group: GROUPS.linux, signature: "unknown", name: "nonAscii" },
  { ...BASE, platform: "WindowsServer2016", avMode: "0", group: GROUPS.ungrouped, full: "cancelled", quick: "never-sentinel" },
  { ...BASE, platform: "Windows10", avMode: "0", group: GROUPS.tvm, sentinelUpdateTimes: true, signature: "unknown" },
  { ...BASE, platform: "Linux", avMode: "0", group: GROUPS.linux, full: "completed" },
];

const AV_MODE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["0", 72],
  ["1", 8],
  ["2", 5],
  ["3", 3],
  ["4", 5],
  ["5", 4],
  ["", 3],
];

const QUICK_WEIGHTS: ReadonlyArray<readonly [ScanOutcome, number]> = [
  ["completed", 80],
  ["failed", 6],
  ["canceled", 3],
  ["cancelled", 2],
  ["never-null", 5],
  ["never-sentinel", 4],
];

const FULL_WEIGHTS: ReadonlyArray<readonly [ScanOutcome, number]> = [
  ["completed", 30],
  ["failed", 4],
  ["canceled", 3],
  ["cancelled", 1],
  ["never-null", 52],
  ["never-sentinel", 10],
];

function groupFor(platform: Platform, rng: Rng): RbacGroup {
  if (rng.chance(0.03)) return GROUPS.ungrouped;
  if (platform.osKind === "mac") return GROUPS.mac;
  if (platform.osKind === "linux") return GROUPS.linux;
  if (platform.server) return GROUPS.servers;
  return rng.weighted<RbacGroup>([
    [GROUPS.eu, 45],
    [GROUPS.us, 40],
    [GROUPS.tvm, 15],
  ]);
}

function updateState(rng: Rng, windows: boolean, stale: boolean): UpdateState {
  // Stale devices and (historically) most non-Windows devices report no up-to-date data.
  if (stale) return "unknown";
  if (!windows && rng.chance(0.4)) return "unknown";
  return rng.weighted([
    ["ok", 86],
    ["old", 10],
    ["unknown", 4],
  ]);
}

export function deviceTraits(index: number, rng: Rng): DeviceTraits {
  const show = SHOWCASE[index];
  if (show) return { ...show, platform: platformNamed(show.platform) };

  const platform = rng.weighted(PLATFORMS.map((p, i) => [p, PLATFORM_WEIGHTS[i] ?? 1] as const));
  const windows = platform.osKind === "windows";
  const stale = rng.chance(0.06);
  const roll = rng.next();
  return {
    platform,
    avMode: rng.weighted(AV_MODE_WEIGHTS),
    stale,
    signature: updateState(rng, windows, stale),
    engine: updateState(rng, windows, stale),
    platformState: updateState(rng, windows, stale),
    quick: rng.weighted(QUICK_WEIGHTS),
    full: rng.weighted(FULL_WEIGHTS),
    name: roll < 0.003 ? "markup" : roll < 0.02 ? "nonAscii" : "plain",
    sentinelUpdateTimes: rng.chance(0.01),
    group: groupFor(platform, rng),
  };
}
