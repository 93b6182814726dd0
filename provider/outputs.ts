/**
 * From a cached snapshot to the resource's outputs. Everything here is bounded, because check's result is stored
 * twice in state (inputs and outputs) and state must stay small for any fleet size.
 */
import type { NormalizedDevice } from "../src/model/device";
import type { SnapshotSummary } from "../src/snapshot/types";
import type { CachedSnapshot } from "../src/cache";
import { MAX_INCLUDED_DEVICE_BYTES, MAX_REASON_CHARS, MAX_REASONS, MAX_SUMMARY_GROUPS, OTHER_GROUPS_KEY } from "./limits";
import type { DeviceAvHealthOutputs, DeviceAvHealthSnapshotInfo } from "./types";

/** Reads device records of a snapshot file (readSnapshot(path).devices()), in no particular order. */
export type DeviceReader = (snapshotPath: string) => AsyncIterable<NormalizedDevice>;

export async function buildOutputs(cached: CachedSnapshot, includeDevices: number, readDevices: DeviceReader): Promise<DeviceAvHealthOutputs> {
  const { header } = cached;
  const snapshot: DeviceAvHealthSnapshotInfo = {
    digest: header.digest,
    path: cached.path,
    method: header.method,
    complete: header.complete,
    generatedTime: header.generatedTime,
    fetchedAt: header.fetchedAt,
  };
  if (!header.complete) snapshot.incompleteReasons = boundReasons(header.incompleteReasons);
  const outputs: DeviceAvHealthOutputs = {
    schemaVersion: header.schemaVersion,
    deviceCount: header.deviceCount,
    summary: boundSummary(cached.summary),
    snapshot,
  };
  if (includeDevices > 0) outputs.devices = await firstDevices(readDevices(cached.path), includeDevices);
  return outputs;
}

export function boundSummary(summary: SnapshotSummary): SnapshotSummary {
  const groups = Object.entries(summary.byRbacGroup);
  if (groups.length <= MAX_SUMMARY_GROUPS) return summary;
  // Largest groups by name (ties by name, so the output is stable), the rest summed.
  groups.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = groups.slice(0, MAX_SUMMARY_GROUPS - 1);
  const rest = groups.slice(MAX_SUMMARY_GROUPS - 1).reduce((sum, [, count]) => sum + count, 0);
  return { ...summary, byRbacGroup: { ...Object.fromEntries(kept), [OTHER_GROUPS_KEY]: rest } };
}

function boundReasons(reasons: string[] | undefined): string[] {
  const list = reasons && reasons.length > 0 ? reasons : ["the snapshot is marked incomplete"];
  const kept = list.slice(0, MAX_REASONS).map((reason) => (reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason));
  if (list.length > MAX_REASONS) kept.push(`and ${list.length - MAX_REASONS} more`);
  return kept;
}

/**
 * The `limit` devices with the smallest machineIds, in that order, within the byte bound. Snapshot lines have no
 * order (schema 2), so the devices are chosen by id rather than by position: the same fleet gives the same
 * outputs, and so no diff, whichever way the snapshot was taken.
 */
async function firstDevices(devices: AsyncIterable<NormalizedDevice>, limit: number): Promise<NormalizedDevice[]> {
  const smallest: NormalizedDevice[] = [];
  for await (const device of devices) {
    if (smallest.length === limit && !(device.machineId < (smallest[limit - 1] as NormalizedDevice).machineId)) continue;
    let at = smallest.length;
    while (at > 0 && device.machineId < (smallest[at - 1] as NormalizedDevice).machineId) at--;
    smallest.splice(at, 0, device);
    if (smallest.length > limit) smallest.pop();
  }
  const kept: NormalizedDevice[] = [];
  let bytes = 2;
  for (const device of smallest) {
    bytes += Buffer.byteLength(JSON.stringify(device)) + 1;
    if (bytes > MAX_INCLUDED_DEVICE_BYTES) break;
    kept.push(device);
  }
  return kept;
}
