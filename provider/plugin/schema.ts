/**
 * The Pulumi package schema of the `avhealth` provider plugin, built from the TypeScript types of the dynamic
 * provider (provider/types.ts): every object below is a `Described<T>` of one of those types, so a field added,
 * removed, renamed or retyped there fails the typecheck here. The device record follows DEVICE_FIELDS. sdk/schema.json is
 * this schema as written by `npm run sdk:generate`; a test keeps the two equal.
 */
import { STACK_CONFIG_KEYS } from "../../src/config/stack-config";
import { DEVICE_FIELDS, type FieldKind, type NormalizedDevice } from "../../src/model/device";
import type { SnapshotSummary, TriStateCounts } from "../../src/snapshot/types";
import { MAX_INCLUDED_DEVICES } from "../limits";
import type { DeviceAvHealthInputs, DeviceAvHealthOutputs, DeviceAvHealthSnapshotInfo } from "../types";
import { objectSpec, type Described, type ObjectSpec, type PropertySpec, type PropertyType, type RequiredKeySet, type ScalarSpec } from "./describe";

export const PACKAGE_NAME = "avhealth";
export const RESOURCE_TOKEN = "avhealth:index:DeviceAvHealth";
export const FUNCTION_TOKEN = "avhealth:index:getDeviceAvHealth";
const SUMMARY_TYPE = "avhealth:index:FleetSummary";
const TRISTATE_TYPE = "avhealth:index:TriStateCounts";
const SNAPSHOT_TYPE = "avhealth:index:SnapshotInfo";
const DEVICE_TYPE = "avhealth:index:Device";
const ref = (token: string) => `#/types/${token}`;
const COUNTS: PropertyType = { type: "integer" };

export const INPUTS: Described<DeviceAvHealthInputs> = {
  method: { type: "string", required: false, description: "How to fetch: `auto` (default; JSON pages for small fleets, the file export for large ones), `json` or `files`." },
  filter: { type: "string", required: false, description: "OData `$filter` for the JSON method, e.g. `osPlatform eq 'WindowsServer2022'`." },
  cloud: { type: "string", required: false, description: "`commercial` (default), `gcc`, `gcc-high` or `dod`; default the provider's `cloud` setting." },
  apiUrl: { type: "string", required: false, description: "API base URL override (https, or http on loopback only); default the provider's `apiUrl` setting." },
  tenantId: { type: "string", required: false, description: "Entra tenant id; default the provider's `tenantId` setting, then AZURE_TENANT_ID." },
  cacheTtl: {
    oneOf: [{ type: "string" }, { type: "integer" }],
    required: false,
    description: "How long a fetched snapshot is reused (seconds, or `90s`, `5m`, `1h`), so preview and update share one fetch. Default `5m`; `0` fetches every time.",
  },
  includeDevices: { type: "integer", required: false, description: `Include up to this many device records (lowest machineId first) in the outputs: 0 to ${MAX_INCLUDED_DEVICES}, default 0.` },
};

export const OUTPUTS: Described<DeviceAvHealthOutputs> = {
  schemaVersion: { type: "integer", required: true, description: "Version of the snapshot format the data was read from." },
  deviceCount: { type: "integer", required: true, description: "Devices in the snapshot." },
  summary: { $ref: ref(SUMMARY_TYPE), required: true, description: "Counts over the fleet; `byRbacGroup` keeps the largest groups and sums the rest under `(other groups)`." },
  snapshot: { $ref: ref(SNAPSHOT_TYPE), required: true, description: "Which snapshot the data comes from: its digest, local path, method and completeness." },
  devices: { type: "array", items: { $ref: ref(DEVICE_TYPE) }, required: false, description: "Present only when `includeDevices` > 0; bounded in count and bytes." },
};

const TRISTATE: Described<TriStateCounts> = {
  true: { type: "integer", required: true, description: "Devices reporting true." },
  false: { type: "integer", required: true, description: "Devices reporting false." },
  unknown: { type: "integer", required: true, description: "Devices reporting nothing." },
};

const SUMMARY: Described<SnapshotSummary> = {
  deviceCount: { type: "integer", required: true, description: "Devices counted." },
  byAvMode: { type: "object", additionalProperties: COUNTS, required: true, description: "Devices by antivirus mode (active, passive, ...)." },
  bySignatureUpToDate: { $ref: ref(TRISTATE_TYPE), required: true, description: "Devices by whether their signatures are up to date." },
  byEngineUpToDate: { $ref: ref(TRISTATE_TYPE), required: true, description: "Devices by whether their engine is up to date." },
  byPlatformUpToDate: { $ref: ref(TRISTATE_TYPE), required: true, description: "Devices by whether their platform is up to date." },
  byOsKind: { type: "object", additionalProperties: COUNTS, required: true, description: "Devices by operating system kind." },
  byRbacGroup: { type: "object", additionalProperties: COUNTS, required: true, description: "Devices by RBAC group name." },
  stale: { type: "integer", required: true, description: "Devices not refreshed in the 7 days before the fetch, or never." },
};

const SNAPSHOT: Described<DeviceAvHealthSnapshotInfo> = {
  digest: { type: "string", required: true, description: "`sha256:<hex>` of the device lines: equal fleets give equal digests whichever method fetched them." },
  path: { type: "string", required: true, description: "The snapshot file in the local cache of the machine that fetched it." },
  method: { type: "string", required: true, description: "The method that fetched it: `json` or `files`." },
  complete: { type: "boolean", required: true, description: "False when pages or export parts were lost; the policy pack fails closed on it." },
  generatedTime: { type: "string", required: false, description: "When Defender generated the export (file method only)." },
  fetchedAt: { type: "string", required: true, description: "When the snapshot was fetched (ISO 8601)." },
  incompleteReasons: { type: "array", items: { type: "string" }, required: false, description: "Why the snapshot is incomplete, when it is (a few short lines)." },
};

const KIND_TYPE: Record<FieldKind, ScalarSpec["type"]> = {
  string: "string",
  enum: "string",
  version: "string",
  time: "string",
  tristate: "boolean",
  number: "integer",
};
/** The device fields that are never null: required in the schema. */
const DEVICE_REQUIRED: RequiredKeySet<NormalizedDevice> = { machineId: true, avMode: true };

function deviceSpec(): ObjectSpec {
  const described: Record<string, PropertySpec & { required: boolean }> = {};
  for (const [field, kind] of DEVICE_FIELDS) {
    const required = Object.prototype.hasOwnProperty.call(DEVICE_REQUIRED, field);
    described[field] = { type: KIND_TYPE[kind], required, description: `The device's \`${field}\` (${kind}${required ? "" : ", absent when Defender reports none"}).` };
  }
  return objectSpec(described);
}

const CONFIG_DESCRIPTIONS: Record<(typeof STACK_CONFIG_KEYS)[number], PropertySpec> = {
  tenantId: { type: "string", description: "Entra tenant id (else AZURE_TENANT_ID)." },
  clientId: { type: "string", description: "Application (client) id (else AZURE_CLIENT_ID)." },
  clientSecret: { type: "string", secret: true, description: "Client secret (else AZURE_CLIENT_SECRET). Set it with `pulumi config set --secret avhealth:clientSecret`." },
  cloud: { type: "string", description: "`commercial` (default), `gcc`, `gcc-high` or `dod`." },
  apiUrl: { type: "string", description: "API base URL override." },
  authorityHost: { type: "string", description: "Entra authority host override." },
  caFile: { type: "string", description: "Extra CA certificate file (PEM) to trust." },
};

export interface PackageSchema {
  name: string;
  version: string;
  [key: string]: unknown;
}

export function buildSchema(version: string): PackageSchema {
  const inputs = objectSpec(INPUTS);
  const outputs = objectSpec(OUTPUTS);
  return {
    name: PACKAGE_NAME,
    displayName: "Defender antivirus health",
    version,
    description: "Microsoft Defender for Endpoint antivirus health of a fleet as a read-only Pulumi data source.",
    keywords: ["defender", "antivirus", "category/utility", "kind/native"],
    license: "Apache-2.0",
    meta: { moduleFormat: "(.*)", supportPack: true },
    config: { variables: CONFIG_DESCRIPTIONS },
    provider: {
      description: "Connection settings; credentials come from here (stack config `avhealth:*`) or the environment, never from resource inputs.",
      inputProperties: CONFIG_DESCRIPTIONS,
    },
    resources: {
      [RESOURCE_TOKEN]: {
        description: "The antivirus health of a Defender fleet, fetched during `check` so previews and policy packs see it. Nothing is written to Defender.",
        inputProperties: inputs.properties,
        properties: { ...inputs.properties, ...outputs.properties },
        required: outputs.required,
      },
    },
    functions: {
      [FUNCTION_TOKEN]: {
        description: "The same data as DeviceAvHealth's outputs, for program logic.",
        inputs: { properties: inputs.properties },
        outputs,
      },
    },
    types: {
      [SUMMARY_TYPE]: { type: "object", description: "Counts over the fleet.", ...objectSpec(SUMMARY) },
      [TRISTATE_TYPE]: { type: "object", description: "Devices by a true/false/unreported value.", ...objectSpec(TRISTATE) },
      [SNAPSHOT_TYPE]: { type: "object", description: "The snapshot behind the data.", ...objectSpec(SNAPSHOT) },
      [DEVICE_TYPE]: { type: "object", description: "One device's antivirus health record.", ...deviceSpec() },
    },
    language: {
      go: {
        importBasePath: "github.com/pulumi-defender-avhealth/sdk/go/avhealth",
        modulePath: "github.com/pulumi-defender-avhealth/sdk/go",
        respectSchemaVersion: true,
      },
      python: { packageName: "pulumi_avhealth", pyproject: { enabled: true }, respectSchemaVersion: true },
    },
  };
}

/** The schema as sdk/schema.json holds it. */
export function schemaText(version: string): string {
  return `${JSON.stringify(buildSchema(version), null, 2)}\n`;
}
