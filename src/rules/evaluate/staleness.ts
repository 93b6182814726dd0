/**
 * Staleness (rules-v1.md settings.staleAfter): judged on dataRefreshTimestamp, else lastSeenTime; a device with
 * neither (or with unparseable values) is stale. A stale device is UNKNOWN for every rule.
 */
import type { NormalizedDevice } from "../../model/device";
import type { ValueReaders } from "../operators/values";

export type StaleCheck = (device: NormalizedDevice, nowMs: number) => string | null;

/** Returns the staleness reason, or null when the device is fresh. */
export function stalenessCheck(staleAfter: string, staleAfterMs: number, readers: ValueReaders): StaleCheck {
  const readRefresh = readers.timeOf("dataRefreshTimestamp");
  const readSeen = readers.timeOf("lastSeenTime");
  return (device, nowMs) => {
    const cutoff = nowMs - staleAfterMs;
    const refresh = device.dataRefreshTimestamp === null ? Number.NaN : readRefresh(device.dataRefreshTimestamp);
    if (!Number.isNaN(refresh)) return refresh < cutoff ? `stale: dataRefreshTimestamp older than ${staleAfter}` : null;
    const seen = device.lastSeenTime === null ? Number.NaN : readSeen(device.lastSeenTime);
    if (!Number.isNaN(seen)) return seen < cutoff ? `stale: lastSeenTime older than ${staleAfter}` : null;
    return "stale: no dataRefreshTimestamp or lastSeenTime";
  };
}
