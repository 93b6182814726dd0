/** The value tables a generated fleet draws from: platforms, device groups, names, versions, scan errors. */

export type OsKind = "windows" | "mac" | "linux";

export interface Platform {
  osPlatform: string;
  osKind: OsKind;
  server: boolean;
  versions: readonly string[];
  /** Host name prefix, so that names say what the device is. */
  prefix: string;
}

/**
 * Only OsPlatform values that map to one osKind without guessing, because the via-files shape carries no osKind
 * and a client derives it from OsPlatform.
 */
export const PLATFORMS: readonly Platform[] = [
  { osPlatform: "Windows10", osKind: "windows", server: false, versions: ["10.0.19044.5131", "10.0.19045.5247", "10.0.19045.3803"], prefix: "ws" },
  { osPlatform: "Windows11", osKind: "windows", server: false, versions: ["10.0.22631.4602", "10.0.26100.2605", "10.0.22621.4317"], prefix: "lt" },
  { osPlatform: "WindowsServer2016", osKind: "windows", server: true, versions: ["10.0.14393.7606"], prefix: "srv" },
  { osPlatform: "WindowsServer2019", osKind: "windows", server: true, versions: ["10.0.17763.6659", "10.0.17763.6414"], prefix: "srv" },
  { osPlatform: "WindowsServer2022", osKind: "windows", server: true, versions: ["10.0.20348.2966", "10.0.20348.2762"], prefix: "srv" },
  { osPlatform: "WindowsServer2025", osKind: "windows", server: true, versions: ["10.0.26100.2605"], prefix: "srv" },
  { osPlatform: "macOS", osKind: "mac", server: false, versions: ["14.7.2", "15.2.0", "13.7.1"], prefix: "mac" },
  { osPlatform: "Linux", osKind: "linux", server: true, versions: ["6.1.0", "5.15.0"], prefix: "lnx" },
  { osPlatform: "Ubuntu", osKind: "linux", server: true, versions: ["22.04", "24.04", "20.04"], prefix: "ubu" },
  { osPlatform: "RedHatEnterpriseLinux", osKind: "linux", server: true, versions: ["9.5", "8.10"], prefix: "rhel" },
];

/** Index into PLATFORMS by name, for the hand-written showcase devices. */
export function platformNamed(name: string): Platform {
  const found = PLATFORMS.find((p) => p.osPlatform === name);
  if (!found) throw new RangeError(`unknown platform ${name}`);
  return found;
}

/** Weights of PLATFORMS, same order: mostly Windows clients, some servers, a Mac and Linux minority. */
export const PLATFORM_WEIGHTS: readonly number[] = [24, 30, 3, 8, 10, 3, 11, 4, 5, 2];

export interface RbacGroup {
  id: number;
  name: string;
}

export const GROUPS = {
  tvm: { id: 4415, name: "TVM1" },
  servers: { id: 712, name: "Servers" },
  eu: { id: 1021, name: "Workstations München" },
  us: { id: 1022, name: "Workstations US" },
  mac: { id: 3301, name: "Mac fleet" },
  linux: { id: 3302, name: "Linux servers" },
  ungrouped: { id: 1, name: "Ungrouped devices (default)" },
} as const satisfies Record<string, RbacGroup>;

export const DOMAINS = ["corp.contoso.com", "eu.contoso.com", "lab.fabrikam.net"] as const;

/** Names a report must escape: HTML, CSV formula, table-pipe and CDATA-breaking characters. */
export const MARKUP_NAMES = [
  "<img src=x onerror=alert(1)>",
  "pipe|name]]>end",
  "=cmd|' /C calc'!A0",
  "\"quoted\" & <b>bold</b>",
] as const;

export const NON_ASCII_NAMES = ["Büro-PC", "ノートPC", "portátil-ñandú", "Ωmega-srv", "Łódź-kiosk", "💻-dev"] as const;

export const SCAN_ERRORS = ["0x80508023", "0x80070005", "0x8050800c", "0x80508026"] as const;

export const SENTINEL_TIME = "0001-01-01T00:00:00Z";

export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
