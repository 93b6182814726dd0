/**
 * Which fleets a stack is judged on (README.md, "Enforce across an organization"). Pins in the rule file win over everything:
 * the gated stack is not trusted, so its DeviceAvHealth resources are ignored and the pack fetches itself.
 * Otherwise the fleet source decides: the stack's resources, the pack's own snapshot, or (auto) the resources
 * when there are any and the pack's own snapshot when there are none.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { FleetPins } from "../config/types";
import type { FleetSourceChoice } from "./fleetSource";
import type { OwnSnapshotTaker } from "./ownSnapshot";
import { findFleets, findStackUrn } from "./resources";
import type { FleetRef } from "./types";

export interface FleetPlan {
  source: FleetSourceChoice;
  pins: FleetPins | null;
  /** Set when the stack tried to swap a pinned rule file: nothing is evaluated, every rule fails closed. */
  refusal: string | null;
  takeOwnSnapshot: OwnSnapshotTaker;
}

/** Plain data, so a choice can key the per-validation memo. */
export type FleetChoice =
  | { kind: "none" }
  | { kind: "given"; fleets: FleetRef[]; notes: string[] }
  | { kind: "own"; stackUrn: string | undefined; notes: string[] };

export function chooseFleets(resources: readonly PolicyResource[], plan: FleetPlan): FleetChoice {
  const found = findFleets(resources);
  const stackUrn = findStackUrn(resources);
  if (plan.refusal !== null) return { kind: "given", fleets: [packProblem(plan.refusal, stackUrn)], notes: [] };
  if (plan.pins) {
    const notes = found.length > 0 ? [`${ignored(found)}: the rule file pins the fleet (settings.fleet), so the pack took its own snapshot of tenant ${plan.pins.tenantId}`] : [];
    return { kind: "own", stackUrn, notes };
  }
  if (!plan.source.ok) {
    return { kind: "given", fleets: [packProblem(plan.source.problem, stackUrn)], notes: [] };
  }
  switch (plan.source.value) {
    case "resources":
      return found.length > 0 ? { kind: "given", fleets: found, notes: [] } : { kind: "none" };
    case "pack":
      return { kind: "own", stackUrn, notes: found.length > 0 ? [`${ignored(found)}: the fleet source is "pack" (${plan.source.from})`] : [] };
    case "auto":
      return found.length > 0 ? { kind: "given", fleets: found, notes: [] } : { kind: "own", stackUrn, notes: [] };
  }
}

/** A problem of the pack's own configuration, reported on the stack. */
function packProblem(reason: string, stackUrn: string | undefined): FleetRef {
  return { kind: "unknown", origin: "pack", name: "", urn: stackUrn, reason };
}

function ignored(found: readonly FleetRef[]): string {
  const names = found.map((fleet) => `"${fleet.name}"`).join(", ");
  return `the stack's DeviceAvHealth resource${found.length === 1 ? "" : "s"} ${names} ${found.length === 1 ? "was" : "were"} ignored for the gate`;
}
