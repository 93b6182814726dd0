/**
 * Evaluating every fleet of the stack once per stack validation. The engine calls each policy's validateStack in
 * turn with fresh arguments; the first policy to ask evaluates, the others reuse the result for the same fleets,
 * and the reports policy (declared last) writes the reports and forgets the result so the next run starts over.
 */
import * as fs from "node:fs";
import { cachedSnapshotPath } from "../../provider/cacheDir";
import { isAvHealthError } from "../errors";
import type { CompiledRuleSet } from "../rules/types";
import { redact } from "../util/redact";
import type { PackBaselineState } from "./baseline";
import type { FleetEvaluation, FleetRef, PolicyEngine } from "./types";

export class StackEvaluator {
  private memo: { key: string; result: Promise<FleetEvaluation[]> } | undefined;

  constructor(
    private readonly engine: PolicyEngine,
    private readonly rules: CompiledRuleSet,
    private readonly rulesFile: string,
    private readonly cacheDir: string,
    private readonly clock: () => Date,
    /** The baseline to compare with (baseline.ts); a baseline that cannot be used fails every rule closed. */
    private readonly baseline: () => Promise<PackBaselineState> = async () => ({ kind: "none" }),
  ) {}

  evaluate(fleets: readonly FleetRef[]): Promise<FleetEvaluation[]> {
    const key = JSON.stringify(fleets);
    if (this.memo?.key !== key) {
      this.memo = { key, result: Promise.all(fleets.map((fleet) => this.evaluateFleet(fleet))) };
    }
    return this.memo.result;
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
      const result = await this.engine.evaluate(this.rules, snapshot, this.clock(), this.rulesFile, baseline.kind === "loaded" ? baseline.baseline : undefined);
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
