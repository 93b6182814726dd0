/**
 * Evaluating the stack's fleets once per stack validation. The engine calls each policy's validateStack in turn
 * with fresh arguments; the first policy to ask chooses the fleets (fleets.ts: the stack's DeviceAvHealth
 * resources, or the pack's own snapshot) and evaluates them, the others reuse the result for the same stack, and
 * the reports policy (declared last) writes the reports and forgets the result so the next run starts over.
 */
import * as fs from "node:fs";
import type { PolicyResource } from "@pulumi/policy";
import { cachedSnapshotPath } from "../cache";
import { isAvHealthError } from "../errors";
import type { CompiledRuleSet } from "../rules/types";
import { redact } from "../util/redact";
import { chooseFleets, type FleetChoice, type FleetPlan } from "./fleets";
import type { PackBaselineState } from "./baseline";
import type { FleetEvaluation, FleetRef, PolicyEngine } from "./types";

/** The outcome for one stack: no fleet at all (v1's `resources` source), or the evaluated fleets. */
export type StackEvaluation = { kind: "none" } | { kind: "fleets"; evaluations: FleetEvaluation[]; notes: string[] };

export class StackEvaluator {
  private memo: { key: string; result: Promise<StackEvaluation> } | undefined;

  constructor(
    private readonly engine: PolicyEngine,
    private readonly rules: CompiledRuleSet,
    private readonly rulesFile: string,
    private readonly cacheDir: string,
    private readonly clock: () => Date,
    private readonly plan: FleetPlan,
    /** The baseline to compare with (baseline.ts); a baseline that cannot be used fails every rule closed. */
    private readonly baseline: () => Promise<PackBaselineState> = async () => ({ kind: "none" }),
  ) {}

  evaluateStack(resources: readonly PolicyResource[]): Promise<StackEvaluation> {
    const choice = chooseFleets(resources, this.plan);
    const key = JSON.stringify(choice);
    if (this.memo?.key !== key) this.memo = { key, result: this.run(choice) };
    return this.memo.result;
  }

  private async run(choice: FleetChoice): Promise<StackEvaluation> {
    if (choice.kind === "none") return { kind: "none" };
    const fleets = choice.kind === "given" ? choice.fleets : [await this.plan.takeOwnSnapshot(choice.stackUrn)];
    return { kind: "fleets", evaluations: await Promise.all(fleets.map((fleet) => this.evaluateFleet(fleet))), notes: choice.notes };
  }

  /** Called once the reports are written: the next stack validation evaluates afresh. */
  forget(): void {
    this.memo = undefined;
  }

  private async evaluateFleet(ref: FleetRef): Promise<FleetEvaluation> {
    if (ref.kind === "unknown") return { ref, kind: "problem", problem: ref.reason };
    const baseline = await this.baseline();
    if (baseline.kind === "error") return { ref, kind: "problem", problem: baseline.message };
    const snapshotPath = locateSnapshot(ref.snapshot.path, ref.snapshot.digest, this.cacheDir);
    if (snapshotPath === undefined) {
      return {
        ref,
        kind: "problem",
        problem:
          `its snapshot file (${ref.snapshot.digest.slice(0, 19)}…) is not on this machine: looked at ${ref.snapshot.path} and in the cache ${this.cacheDir}. ` +
          "Run the preview where the DeviceAvHealth provider runs, with the same AVHEALTH_CACHE_DIR",
      };
    }
    try {
      const snapshot = await this.engine.openSnapshot(snapshotPath);
      if (snapshot.header.digest !== ref.snapshot.digest) {
        return { ref, kind: "problem", problem: `the snapshot file ${snapshotPath} holds ${snapshot.header.digest.slice(0, 19)}…, not the resource's ${ref.snapshot.digest.slice(0, 19)}…` };
      }
      const evaluated = await this.engine.evaluate(this.rules, snapshot, this.clock(), this.rulesFile, baseline.kind === "loaded" ? baseline.baseline : undefined);
      // Reports name the signed publication the devices were verified from.
      const { publication } = ref.snapshot;
      const result = publication === undefined ? evaluated : { ...evaluated, report: { ...evaluated.report, snapshot: { ...evaluated.report.snapshot, publication } } };
      return { ref, kind: "evaluated", result, snapshotPath };
    } catch (error) {
      const detail = isAvHealthError(error) ? `${error.message} [${error.code}]` : error instanceof Error ? error.message : String(error);
      return { ref, kind: "problem", problem: redact(`its snapshot could not be read: ${detail}`) };
    }
  }

}

/** The recorded path when it exists, else the local cache's file for the same digest (state written elsewhere). */
export function locateSnapshot(recorded: string, digest: string, cacheDir: string): string | undefined {
  const candidates = [recorded, cachedSnapshotPath(cacheDir, digest)];
  return candidates.find((candidate): candidate is string => candidate !== undefined && isFile(candidate));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
