/**
 * loadBaseline: an earlier avhealth JSON report, read once, up front. Anything that makes it unusable (missing,
 * not JSON, not an avhealth report, a newer schema version) is BASELINE_INVALID naming the file: comparing with
 * a file that is not what the user meant must stop the run, never silently compare with nothing.
 */
import * as fs from "node:fs/promises";
import Ajv from "ajv";
import { AvHealthError, ErrorCodes } from "../errors";
import type { BaselineDevice } from "../report-model/types";
import { baselineReportSchema, NEWEST_REPORT_VERSION, type BaselineReportInput } from "./schema";
import type { Baseline, BaselineRule } from "./types";

const ajv = new Ajv({ allErrors: false, strict: true });
const validateBaseline = ajv.compile(baselineReportSchema);

/** `displayName` is how the file is named in errors and in the report (default `file`). */
export async function loadBaseline(file: string, displayName: string = file): Promise<Baseline> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw invalid(displayName, missing ? "does not exist" : `cannot be read (${(error as Error).message})`, "check the path given as the baseline", error);
  }
  return parseBaseline(text, displayName);
}

export function parseBaseline(text: string, displayName: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(displayName, "is not JSON", "give the avhealth-report.json of an earlier `avhealth check`", error);
  }
  const head = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (head.kind !== "avhealth-report") {
    throw invalid(displayName, 'is not an avhealth report (no "kind": "avhealth-report")', "give the avhealth-report.json of an earlier `avhealth check`");
  }
  // Checked before the shape: a newer report may be shaped differently, and the useful message is the version.
  if (typeof head.schemaVersion === "number" && head.schemaVersion > NEWEST_REPORT_VERSION) {
    throw invalid(
      displayName,
      `is report schema version ${head.schemaVersion}; this avhealth reads versions 1 to ${NEWEST_REPORT_VERSION}`,
      "upgrade pulumi-defender-avhealth, or give a baseline written by this version",
    );
  }
  if (!validateBaseline(value)) {
    const first = validateBaseline.errors?.[0];
    const where = first === undefined ? "" : ` at ${first.instancePath || "(document)"}: ${first.message ?? "invalid"}`;
    throw invalid(displayName, `is not a valid avhealth report${where}`, "give the avhealth-report.json of an earlier `avhealth check`");
  }
  return toBaseline(value, displayName);
}

function toBaseline(report: BaselineReportInput, displayName: string): Baseline {
  const devices: BaselineDevice[] = [];
  const deviceIndex = new Map<string, number>();
  const rules = new Map<string, BaselineRule>();
  for (const rule of report.rules) {
    const failing = new Int32Array(rule.failingDevices.length);
    rule.failingDevices.forEach((device, i) => {
      let index = deviceIndex.get(device.machineId);
      if (index === undefined) {
        index = devices.push({ machineId: device.machineId, computerDnsName: device.computerDnsName ?? null }) - 1;
        deviceIndex.set(device.machineId, index);
      }
      failing[i] = index;
    });
    // A duplicated rule id cannot come from avhealth (ids are unique per file); the first one is the rule.
    if (!rules.has(rule.id)) rules.set(rule.id, { status: rule.status, percent: rule.percent, failing });
  }
  return {
    info: { file: displayName, evaluatedAt: report.evaluatedAt, snapshotDigest: report.snapshot.digest },
    tenantId: report.snapshot.tenantId ?? null,
    devices,
    deviceIndex,
    rules,
  };
}

function invalid(file: string, problem: string, next: string, cause?: unknown): AvHealthError {
  return new AvHealthError(ErrorCodes.BASELINE_INVALID, `baseline ${file} ${problem}; ${next}`, { cause, details: { file } });
}
