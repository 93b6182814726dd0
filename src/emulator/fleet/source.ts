/**
 * The fleet the emulator serves: either generated device by device from a seed (nothing held in memory, so
 * 1,000,000 devices cost no RAM), or a given list of /api/deviceavinfo records read from an array or a file.
 */
import { readFileSync } from "node:fs";
import { AvHealthError, ErrorCodes } from "../../errors";
import type { ApiDeviceRecord, FleetOptions } from "../types";
import { generateDevice } from "./generate";
import { seedWords } from "./prng";

export interface FleetSource {
  readonly size: number;
  /** Record `index` (0 ≤ index < size). Generated records are fresh objects; given ones are shared, do not mutate. */
  device(index: number): ApiDeviceRecord;
  readonly description: string;
}

export const DEFAULT_DEVICES = 100;
/** Generated fleets stop here; beyond it generation time, not memory, becomes the problem. */
export const MAX_GENERATED_DEVICES = 10_000_000;

function isRecord(value: unknown): value is ApiDeviceRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function recordsFrom(value: unknown, origin: string): ApiDeviceRecord[] {
  const list = isRecord(value) && Array.isArray(value.value) ? (value.value as unknown[]) : value;
  if (!Array.isArray(list)) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${origin}: expected a JSON array of devices or {"value": [...]}.`);
  }
  return list.map((item, i) => {
    if (!isRecord(item)) throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${origin}: device ${i} is not a JSON object.`);
    const id = item.machineId ?? item.id;
    if (typeof id !== "string" || id === "") {
      throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${origin}: device ${i} has no machineId (or id) string.`);
    }
    return item;
  });
}

function loadFleetFile(path: string): ApiDeviceRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `Cannot read the fleet file ${path}; check the --fleet path.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `The fleet file ${path} is not valid JSON.`, { cause: error });
  }
  return recordsFrom(parsed, path);
}

export function seedOf(options: FleetOptions): string {
  return options.seed === undefined ? "1" : String(options.seed);
}

export function createFleetSource(options: FleetOptions, referenceMs: number): FleetSource {
  if (options.fleet !== undefined) {
    if (options.devices !== undefined) {
      throw new AvHealthError(ErrorCodes.CONFIG_INVALID, "Give either a fleet (--fleet) or a generated size (--devices), not both.");
    }
    const records = typeof options.fleet === "string" ? loadFleetFile(options.fleet) : recordsFrom(options.fleet, "fleet");
    return {
      size: records.length,
      device: (index) => records[index] as ApiDeviceRecord,
      description: `${records.length} given devices`,
    };
  }
  const size = options.devices ?? DEFAULT_DEVICES;
  if (!Number.isInteger(size) || size < 0 || size > MAX_GENERATED_DEVICES) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `--devices must be an integer from 0 to ${MAX_GENERATED_DEVICES} (got ${size}).`);
  }
  const seed = seedOf(options);
  const words = seedWords(seed);
  return {
    size,
    device: (index) => generateDevice(words, index, referenceMs),
    description: `${size} generated devices, seed ${seed}`,
  };
}
