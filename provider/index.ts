/** The Pulumi side of pulumi-defender-avhealth: the DeviceAvHealth data source and getDeviceAvHealth(). */
export { DeviceAvHealth, DEVICE_AV_HEALTH_TYPE } from "./resource";
export { getDeviceAvHealth } from "./get";
export { MAX_INCLUDED_DEVICES } from "./limits";
export type {
  DeviceAvHealthArgs,
  DeviceAvHealthInputs,
  DeviceAvHealthOutputs,
  DeviceAvHealthResult,
  DeviceAvHealthSnapshotInfo,
  DeviceAvHealthState,
} from "./types";
export type { MethodChoice } from "../src/fetch/types";
export type { NormalizedDevice } from "../src/model/device";
export type { SnapshotSummary, TriStateCounts } from "../src/snapshot/types";
export { AvHealthError, ErrorCodes, isAvHealthError } from "../src/errors";
