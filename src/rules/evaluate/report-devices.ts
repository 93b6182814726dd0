/**
 * The device lists of the JSON report written entry by entry from the evaluation's own objects, in the spec's
 * key order: a million-device report lists about two million entries, and a canonical copy of each (as
 * canonicalReport makes) held while the report streams out costs ~100 MB at the peak. Each entry's text is
 * exactly what JSON.stringify(entry, null, 2) gives at that depth; the array around them is laid out as
 * JSON.stringify lays out a non-empty array of objects.
 */
import type { BaselineDevice, FailingDevice } from "../../report-model/types";
import { listSource } from "../../util/list-view";
import { ChunkedJson, jsonChunks } from "./report-chunks";

const str = JSON.stringify;

export class FailingDeviceList extends ChunkedJson {
  constructor(private readonly devices: readonly FailingDevice[]) {
    super();
  }

  *chunks(indent: string): Generator<string> {
    yield* listChunks(this.devices, indent, (d, i) =>
      !plainName(d) || typeof d.outcome !== "string" || typeof d.reason !== "string"
        ? null
        : `{\n${i}  "machineId": ${str(d.machineId)},\n${i}  "computerDnsName": ${str(d.computerDnsName)},\n${i}  "outcome": ${str(d.outcome)},\n${i}  "reason": ${str(d.reason)}\n${i}}`,
    );
  }
}

export class BaselineDeviceList extends ChunkedJson {
  constructor(private readonly devices: readonly BaselineDevice[]) {
    super();
  }

  *chunks(indent: string): Generator<string> {
    yield* listChunks(this.devices, indent, (d, i) =>
      !plainName(d) ? null : `{\n${i}  "machineId": ${str(d.machineId)},\n${i}  "computerDnsName": ${str(d.computerDnsName)}\n${i}}`,
    );
  }
}

/**
 * `entry` gives one element's text at indent `i`, or null when the element is not the plain shape it expects
 * (a key left undefined): that element is then serialized generically from its canonical fields.
 */
function* listChunks<T extends BaselineDevice>(devices: readonly T[], indent: string, entry: (device: T, i: string) => string | null): Generator<string> {
  if (devices.length === 0) {
    yield "[]";
    return;
  }
  const inner = `${indent}  `;
  yield "[\n";
  // An evaluation's list is a view (src/util/list-view.ts): read its source directly rather than through the Proxy.
  const source = listSource(devices);
  const last = devices.length - 1;
  for (let n = 0; n <= last; n++) {
    const device = source === undefined ? (devices[n] as T) : source.entry(n);
    const text = entry(device, inner);
    if (text === null) {
      yield inner;
      yield* jsonChunks(canonicalFields(device), inner);
      yield n === last ? "\n" : ",\n";
    } else yield n === last ? `${inner}${text}\n` : `${inner}${text},\n`;
  }
  yield `${indent}]`;
}

/** A string id and a string or null name: the shape whose text the template writes (anything else goes generic). */
function plainName(device: BaselineDevice): boolean {
  return typeof device.machineId === "string" && (device.computerDnsName === null || typeof device.computerDnsName === "string");
}

function canonicalFields(device: BaselineDevice | FailingDevice): object {
  return "outcome" in device
    ? { machineId: device.machineId, computerDnsName: device.computerDnsName, outcome: device.outcome, reason: device.reason }
    : { machineId: device.machineId, computerDnsName: device.computerDnsName };
}
