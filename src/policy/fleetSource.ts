/**
 * Where the pack gets its fleet (README.md, "Enforce across an organization"): the stack's DeviceAvHealth resources, a snapshot
 * the pack takes itself, or the first when there is one and the second otherwise. Read at construction like the
 * rule file: AVHEALTH_FLEET_SOURCE, then stack config `avhealth:fleetSource`, then `auto`.
 */
import { stackConfigFromEnv } from "../config/stack-config";
import type { Env } from "./types";

export const FLEET_SOURCES = ["auto", "resources", "pack"] as const;
export type FleetSource = (typeof FLEET_SOURCES)[number];

export type FleetSourceChoice =
  | { ok: true; value: FleetSource; from: "AVHEALTH_FLEET_SOURCE" | "avhealth:fleetSource" | "default" }
  | { ok: false; problem: string };

export function resolveFleetSource(env: Env): FleetSourceChoice {
  const fromEnv = env.AVHEALTH_FLEET_SOURCE?.trim();
  const fromConfig = stackConfigFromEnv(env).get("avhealth:fleetSource")?.trim();
  const [raw, from] = fromEnv ? [fromEnv, "AVHEALTH_FLEET_SOURCE" as const] : fromConfig ? [fromConfig, "avhealth:fleetSource" as const] : ["auto", "default" as const];
  if ((FLEET_SOURCES as readonly string[]).includes(raw)) return { ok: true, value: raw as FleetSource, from };
  const shown = raw.length <= 24 ? JSON.stringify(raw) : `a ${raw.length}-character value`;
  return { ok: false, problem: `${from} is ${shown}, which is not a fleet source: use one of ${FLEET_SOURCES.join(", ")} [CONFIG_INVALID]` };
}
