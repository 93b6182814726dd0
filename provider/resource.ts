/**
 * DeviceAvHealth: Microsoft Defender for Endpoint antivirus health as a read-only Pulumi data source.
 *
 * It is a registered resource (type `pulumi-nodejs:dynamic/defender:DeviceAvHealth`) rather than a `get`, because
 * policy packs never see read resources. Its provider takes the snapshot during `check`, so the data is known in
 * preview, and reports a change whenever the fleet's digest changes.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MethodChoice } from "../src/fetch/types";
import type { NormalizedDevice } from "../src/model/device";
import type { SnapshotSummary } from "../src/snapshot/types";
import { deviceAvHealthProvider } from "./dynamicProvider";
import type { DeviceAvHealthArgs, DeviceAvHealthSnapshotInfo } from "./types";

export const DEVICE_AV_HEALTH_TYPE = "pulumi-nodejs:dynamic/defender:DeviceAvHealth";

export class DeviceAvHealth extends pulumi.dynamic.Resource {
  declare readonly method: pulumi.Output<MethodChoice | undefined>;
  declare readonly filter: pulumi.Output<string | undefined>;
  declare readonly cloud: pulumi.Output<string | undefined>;
  declare readonly apiUrl: pulumi.Output<string | undefined>;
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly cacheTtl: pulumi.Output<string | number | undefined>;
  declare readonly includeDevices: pulumi.Output<number | undefined>;

  declare readonly schemaVersion: pulumi.Output<number>;
  declare readonly deviceCount: pulumi.Output<number>;
  declare readonly summary: pulumi.Output<SnapshotSummary>;
  declare readonly snapshot: pulumi.Output<DeviceAvHealthSnapshotInfo>;
  declare readonly devices: pulumi.Output<NormalizedDevice[] | undefined>;

  constructor(name: string, args: DeviceAvHealthArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      // Outputs are declared here (undefined) so the engine returns them on the resource object.
      schemaVersion: undefined,
      deviceCount: undefined,
      summary: undefined,
      snapshot: undefined,
      devices: undefined,
    };
    super(deviceAvHealthProvider, name, props, opts, "defender", "DeviceAvHealth");
  }
}
