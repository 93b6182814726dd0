/** Inputs, outputs and state of the DeviceAvHealth data source. */
import type * as pulumi from "@pulumi/pulumi";
import type { MethodChoice } from "../src/fetch/types";
import type { NormalizedDevice } from "../src/model/device";
import type { FetchMethod, SnapshotSummary } from "../src/snapshot/types";

/**
 * What a program may set. Credentials are deliberately absent: they come from stack config (`avhealth:*`, secrets
 * decrypted) or the environment, so they never reach resource inputs and therefore never reach state.
 */
export interface DeviceAvHealthArgs {
  /** `auto` (default) picks the JSON method for small fleets and the file export for large ones. */
  method?: pulumi.Input<MethodChoice>;
  /** OData `$filter` for the JSON method, e.g. `osPlatform eq 'WindowsServer2022'`. */
  filter?: pulumi.Input<string>;
  /** `commercial` (default), `gcc`, `gcc-high` or `dod`. */
  cloud?: pulumi.Input<string>;
  /** API base URL override (https, or http on loopback only). */
  apiUrl?: pulumi.Input<string>;
  /** Entra tenant id; default `avhealth:tenantId`, then AZURE_TENANT_ID. */
  tenantId?: pulumi.Input<string>;
  /**
   * How long a fetched snapshot is reused, so the preview and update passes of one `pulumi up` share one fetch:
   * seconds, or a duration such as `90s`, `5m`, `1h`. Default `5m`; `0` fetches every time.
   */
  cacheTtl?: pulumi.Input<string | number>;
  /** Opt-in: include up to this many device records (sorted by machineId) in the outputs. 0..100, default 0. */
  includeDevices?: pulumi.Input<number>;
}

/** The same inputs once resolved, as the provider sees them. */
export interface DeviceAvHealthInputs {
  method?: MethodChoice;
  filter?: string;
  cloud?: string;
  apiUrl?: string;
  tenantId?: string;
  cacheTtl?: string | number;
  includeDevices?: number;
}

export interface DeviceAvHealthSnapshotInfo {
  /** "sha256:<hex>" of the snapshot's device lines: equal fleets give equal digests whichever method fetched them. */
  digest: string;
  /** The snapshot file on the machine that ran the fetch (a content-addressed cache entry). */
  path: string;
  method: FetchMethod;
  complete: boolean;
  generatedTime: string | null;
  fetchedAt: string;
  /** Why the snapshot is incomplete, when it is (at most a few short lines). */
  incompleteReasons?: string[];
}

export interface DeviceAvHealthOutputs {
  schemaVersion: number;
  deviceCount: number;
  /** The snapshot summary; `byRbacGroup` keeps the largest groups and folds the rest into "(other groups)". */
  summary: SnapshotSummary;
  snapshot: DeviceAvHealthSnapshotInfo;
  /** Present only with `includeDevices` > 0; bounded in count and bytes so state stays small. */
  devices?: NormalizedDevice[];
}

/** What check returns and what state holds: the inputs as given plus the fetched outputs. */
export type DeviceAvHealthState = DeviceAvHealthInputs & DeviceAvHealthOutputs;

/** The result of getDeviceAvHealth(): the same data as the resource's outputs. */
export type DeviceAvHealthResult = DeviceAvHealthOutputs;
