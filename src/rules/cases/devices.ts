/**
 * Inline case devices: each entry is a partial device record merged over makeDevice()'s compliant default,
 * optionally repeated. Values are checked by field kind (the same FIELD_KIND the rules use); time fields also
 * take `<n><m|h|d|w> ago`, relative to the case's now. `{n}` in machineId or computerDnsName is replaced by the
 * copy number (1..repeat) so repeated devices can be told apart.
 */
import { AV_MODES, FIELD_KIND, isDeviceField, type DeviceField, type NormalizedDevice } from "../../model/device";
import { didYouMean } from "../compile/suggest";
import type { Path, ProblemCollector } from "../load/problems";
import { parseDuration, parseTimeValue, TIME_HINT } from "../operators/values";
import { DEVICE_FIELDS } from "../../model/device";
import { isoAt, makeDevice } from "../testing/make-device";
import type { DeviceEntry } from "./schema";

export const MAX_CASE_DEVICES = 200_000;
const RELATIVE = /^(\d{1,6}[mhdw]) ago$/;
const FIELD_NAMES = DEVICE_FIELDS.map(([name]) => name);

export interface DevicePlan {
  overrides: Partial<Record<DeviceField, unknown>>;
  repeat: number;
}

/** Checks the entries (recording problems) and returns the plan, or null when an entry is wrong. */
export function planDevices(entries: readonly DeviceEntry[], path: Path, problems: ProblemCollector): DevicePlan[] | null {
  const before = problems.size;
  const plans: DevicePlan[] = [];
  let total = 0;
  entries.forEach((entry, index) => {
    const entryPath = [...path, index];
    const overrides: Partial<Record<DeviceField, unknown>> = {};
    let repeat = 1;
    for (const [key, value] of Object.entries(entry)) {
      if (key === "repeat") {
        if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_CASE_DEVICES) repeat = value;
        else problems.add([...entryPath, key], `repeat takes an integer from 1 to ${MAX_CASE_DEVICES}`);
      } else if (isDeviceField(key)) {
        const message = checkValue(key, value);
        if (message === null) overrides[key] = value;
        else problems.add([...entryPath, key], message);
      } else {
        problems.add([...entryPath, key], `unknown device field "${key}"${didYouMean(key, [...FIELD_NAMES, "repeat"])}`, "key");
      }
    }
    total += repeat;
    plans.push({ overrides, repeat });
  });
  if (total > MAX_CASE_DEVICES) problems.add(path, `${total} devices; a case holds at most ${MAX_CASE_DEVICES}: use a fleet file for more`);
  return problems.size > before ? null : plans;
}

function checkValue(field: DeviceField, value: unknown): string | null {
  if (value === null) return field === "machineId" || field === "avMode" ? `${field} cannot be null` : null;
  switch (FIELD_KIND[field]) {
    case "string":
    case "version":
      return typeof value === "string" ? null : `${field} takes a string; write it in quotes`;
    case "enum":
      return typeof value === "string" && (AV_MODES as readonly string[]).includes(value) ? null : `avMode takes one of ${AV_MODES.join(", ")}`;
    case "tristate":
      return typeof value === "boolean" ? null : `${field} takes true, false or null`;
    case "number":
      return typeof value === "number" && Number.isInteger(value) ? null : `${field} takes an integer or null`;
    case "time":
      return typeof value === "string" && (RELATIVE.test(value) || parseTimeValue(value) !== null)
        ? null
        : `${field} takes a timestamp, a relative time such as "3d ago", or null; ${TIME_HINT}`;
  }
}

/** The devices of a checked plan, relative to now; indexes run across the case so default names stay unique. */
export function buildDevices(plans: readonly DevicePlan[], now: Date): NormalizedDevice[] {
  const devices: NormalizedDevice[] = [];
  for (const plan of plans) {
    for (let copy = 1; copy <= plan.repeat; copy++) {
      const overrides: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(plan.overrides)) overrides[field] = resolve(field as DeviceField, value, copy, now);
      devices.push(makeDevice(overrides as Partial<NormalizedDevice>, { now, index: devices.length + 1 }));
    }
  }
  return devices;
}

function resolve(field: DeviceField, value: unknown, copy: number, now: Date): unknown {
  if (typeof value !== "string") return value;
  if (FIELD_KIND[field] === "time") {
    const relative = RELATIVE.exec(value);
    if (relative !== null) return isoAt(now.getTime() - (parseDuration(relative[1]) as number));
    return value;
  }
  return field === "machineId" || field === "computerDnsName" ? value.split("{n}").join(String(copy)) : value;
}
