/** The state every route handler shares, built once by startEmulator. */
import type { FleetSource } from "./fleet/source";
import type { Identity } from "./identity";
import type { ExportStore } from "./export/store";
import type { FaultPlan } from "./faults";
import type { RateLimiter } from "./rate-limit";

export interface FleetVersion {
  source: FleetSource;
  /** Increases on every setFleet; export parts are built once per version. */
  version: number;
  seed: string;
  parts: number;
  /** When this version's export snapshot was "generated" (to the minute), ms since epoch. */
  generatedMs: number;
}

export interface EmulatorContext {
  baseUrl: string;
  identity: Identity;
  roles: readonly string[];
  now: () => Date;
  nextLink: boolean;
  slowMs: number;
  trickleMs: number;
  fleet: FleetVersion;
  exports: ExportStore;
  faults: FaultPlan;
  limiter: RateLimiter;
}

export function nowSeconds(context: EmulatorContext): number {
  return Math.floor(context.now().getTime() / 1000);
}
