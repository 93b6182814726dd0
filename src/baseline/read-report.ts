/**
 * Reads an avhealth JSON report for a baseline with JsonReader: the small head (kind, version, snapshot, each
 * rule's id, status and percent) is built as values and checked by the schema afterwards; each failing device
 * is reduced to its machine id and name on the fly, stored once however many rules it fails. Everything else
 * (reasons, counts, comparisons, exceptions) is syntax-checked and skipped.
 */
import { IdIndex } from "./id-index";
import { JsonReader } from "./json-reader";

export interface ReportHead {
  [key: string]: unknown;
  rules?: unknown;
}

export interface ReadReport {
  /** The report with every rule's failingDevices emptied (when it was an array): what the schema checks. */
  head: ReportHead;
  /** Per rule position in `rules`, indexes into devices (null when the rule was not an object). */
  failing: Array<Int32Array | null>;
  /** Every failing device once: its machineId and computerDnsName by index. */
  machineIds: string[];
  names: Array<string | null>;
  deviceIndex: IdIndex;
  /** The first device entry that is not {machineId: string, computerDnsName?: string | null}, with its path. */
  badDevice: string | null;
}

export function readReport(reader: JsonReader): ReadReport {
  const machineIds: string[] = [];
  const out: ReadReport = { head: {}, failing: [], machineIds, names: [], deviceIndex: new IdIndex(machineIds), badDevice: null };
  if (reader.peek() !== 0x7b) {
    // Not an object: built whole (it can only be small or a mistake) so the caller can say what it is.
    out.head = { value: reader.readValue() } as ReportHead;
    reader.finish();
    return out;
  }
  reader.expect(0x7b);
  for (let key = reader.nextKey(true); key !== null; key = reader.nextKey(false)) {
    if (key === "rules") out.head.rules = readRules(reader, out);
    else if (key === "kind" || key === "schemaVersion" || key === "evaluatedAt" || key === "snapshot") out.head[key] = reader.readValue();
    else reader.skipValue();
  }
  reader.finish();
  return out;
}

function readRules(reader: JsonReader, out: ReadReport): unknown {
  if (reader.peek() !== 0x5b) return reader.readValue();
  reader.expect(0x5b);
  const rules: unknown[] = [];
  for (let first = true; reader.nextElement(first); first = false) {
    if (reader.peek() !== 0x7b) {
      rules.push(reader.readValue());
      out.failing.push(null);
      continue;
    }
    reader.expect(0x7b);
    const rule: Record<string, unknown> = {};
    let failing: Int32Array = new Int32Array(0);
    for (let key = reader.nextKey(true); key !== null; key = reader.nextKey(false)) {
      if (key === "failingDevices") {
        if (reader.peek() === 0x5b) {
          failing = readDevices(reader, out, `/rules/${rules.length}/failingDevices`);
          rule.failingDevices = [];
        } else rule.failingDevices = reader.readValue();
      } else if (key === "id" || key === "status" || key === "percent") rule[key] = reader.readValue();
      else reader.skipValue();
    }
    rules.push(rule);
    out.failing.push(failing);
  }
  return rules;
}

function readDevices(reader: JsonReader, out: ReadReport, where: string): Int32Array {
  reader.expect(0x5b);
  let indexes = new Int32Array(64);
  let count = 0;
  for (let first = true; reader.nextElement(first); first = false) {
    let machineId: unknown;
    let name: unknown = null;
    if (reader.peek() === 0x7b) {
      reader.expect(0x7b);
      for (let key = reader.nextKey(true); key !== null; key = reader.nextKey(false)) {
        if (key === "machineId") machineId = reader.readValue();
        // A device failing several rules is listed under each; its name is needed once (machineId comes first in
        // avhealth's key order, so the name of a device already seen is skipped, not built).
        else if (key === "computerDnsName" && typeof machineId === "string" && out.deviceIndex.get(machineId) !== undefined) reader.skipValue();
        else if (key === "computerDnsName") name = reader.readValue();
        else reader.skipValue();
      }
    } else reader.skipValue();
    if (typeof machineId !== "string" || (name !== null && typeof name !== "string")) {
      out.badDevice ??= `${where}/${count}: a failing device needs a string machineId and a string or null computerDnsName`;
      continue;
    }
    let index = out.deviceIndex.get(machineId);
    if (index === undefined) {
      index = out.deviceIndex.add(machineId);
      out.names.push(name as string | null);
    }
    if (count === indexes.length) {
      const bigger = new Int32Array(indexes.length * 2);
      bigger.set(indexes);
      indexes = bigger;
    }
    indexes[count++] = index;
  }
  return indexes.slice(0, count);
}
