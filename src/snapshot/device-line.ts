/** Checks one snapshot device line against the record of docs/rules.md, so rules never meet bad types. */
import { AV_MODES, DEVICE_FIELDS, type FieldKind, type NormalizedDevice } from "../model/device";

const MODES: ReadonlySet<string> = new Set(AV_MODES);

/** The device of a line, or a problem description. */
export function parseDeviceLine(text: string): NormalizedDevice | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const record = value as Record<string, unknown>;
  if (Object.keys(record).length !== DEVICE_FIELDS.length) return `expected exactly the ${DEVICE_FIELDS.length} device fields`;
  for (const [field, kind] of DEVICE_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(record, field)) return `missing field "${field}"`;
    if (!fits(kind, record[field])) return `field "${field}" has a value of the wrong type for a ${kind} field`;
  }
  if (typeof record.machineId !== "string" || record.machineId === "") return 'field "machineId" must be a non-empty string';
  return record as unknown as NormalizedDevice;
}

function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case "enum":
      return typeof value === "string" && MODES.has(value);
    case "tristate":
      return value === null || typeof value === "boolean";
    case "number":
      return value === null || Number.isSafeInteger(value);
    case "time":
      return value === null || (typeof value === "string" && !Number.isNaN(Date.parse(value)));
    case "string":
    case "version":
      return value === null || typeof value === "string";
  }
}
