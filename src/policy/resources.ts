/**
 * Finding the DeviceAvHealth resources of a stack and reading their snapshot description. Reading a value the
 * engine does not know yet throws Pulumi's UnknownValueError; left alone, the pack would turn the policy into an
 * advisory "can't run during preview" note. The gate fails closed instead: such a fleet becomes `unknown`.
 */
import { UnknownValueError, type PolicyResource } from "@pulumi/policy";
import type { FleetRef, KnownSnapshot } from "./types";

/** The type token of DeviceAvHealth (provider/resource.ts); a test keeps the two equal. */
export const DEVICE_AV_HEALTH_TYPE = "pulumi-nodejs:dynamic/defender:DeviceAvHealth";
/** The same resource from the `avhealth` provider plugin (provider/plugin/schema.ts); a test keeps the two equal. */
export const PLUGIN_DEVICE_AV_HEALTH_TYPE = "avhealth:index:DeviceAvHealth";
/** Both are one kind of fleet to the gate: same outputs, same reading, same trust rules. */
export const DEVICE_AV_HEALTH_TYPES: readonly string[] = [DEVICE_AV_HEALTH_TYPE, PLUGIN_DEVICE_AV_HEALTH_TYPE];

/** The stack resource itself: where violations about the pack's own snapshot are reported. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

export function findStackUrn(resources: readonly PolicyResource[]): string | undefined {
  return resources.find((resource) => resource.type === STACK_TYPE)?.urn;
}

export function findFleets(resources: readonly PolicyResource[]): FleetRef[] {
  return resources.filter((resource) => DEVICE_AV_HEALTH_TYPES.includes(resource.type)).map(readFleet);
}

function readFleet(resource: PolicyResource): FleetRef {
  const { name, urn } = resource;
  try {
    const snapshot = readSnapshotInfo(resource.props);
    if (typeof snapshot === "string") return { kind: "unknown", origin: "resource", name, urn, reason: snapshot };
    return { kind: "known", origin: "resource", name, urn, snapshot };
  } catch (error) {
    if (!isUnknownValueError(error)) throw error;
    return {
      kind: "unknown",
      origin: "resource",
      name,
      urn,
      reason: "its snapshot is not known during this preview (an input depends on a value that is only known after deployment)",
    };
  }
}

/** The snapshot description, or why it is unusable. Every property access may throw UnknownValueError. */
function readSnapshotInfo(props: Record<string, unknown>): KnownSnapshot | string {
  const snapshot = props.snapshot;
  if (typeof snapshot !== "object" || snapshot === null) return "it has no snapshot output (was it created by an older provider, or did its fetch fail?)";
  const info = snapshot as Record<string, unknown>;
  const digest = info.digest;
  const path = info.path;
  const complete = info.complete;
  if (typeof digest !== "string" || typeof path !== "string" || typeof complete !== "boolean") {
    return "its snapshot output lacks digest, path or complete";
  }
  const reasons = Array.isArray(info.incompleteReasons) ? info.incompleteReasons.filter((r): r is string => typeof r === "string") : [];
  const deviceCount = typeof props.deviceCount === "number" ? props.deviceCount : null;
  const method = typeof info.method === "string" ? info.method : null;
  return { digest, path, complete, incompleteReasons: reasons, deviceCount, method };
}

/** By name as well as by class: a second copy of @pulumi/policy in node_modules has its own class. */
export function isUnknownValueError(error: unknown): boolean {
  if (error instanceof UnknownValueError) return true;
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}
