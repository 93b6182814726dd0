/**
 * The export snapshot on disk: gzip NDJSON parts per RBAC group (and `parts` per group), written once per fleet
 * version by streaming through the fleet (a million devices are never in memory at once), then served from disk.
 * Spark-style names, as the real export: <date>/<HHmm>/InfoGatheringExport/json/OrgId=<org>/_RbacGroupId=<n>/
 * part-000NN-<guid>.c000.json.gz. Fault parts (empty, dup) are extra files made on first use.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { createGzip, constants as zlib, type Gzip } from "node:zlib";
import type { FleetVersion } from "../context";
import { Rng, seedWords } from "../fleet/prng";
import { toFileLine } from "./file-shape";

export interface PartInfo {
  /** URL path of the blob (what the SAS signs). */
  blobPath: string;
  filePath: string;
  records: number;
  /** Fleet index of the part's first device, for the dup fault; -1 when empty. */
  firstIndex: number;
}

export interface ExportSnapshot {
  version: number;
  generatedTime: string;
  parts: PartInfo[];
}

export interface ExportStore {
  /** The snapshot of this fleet version, writing its parts on first use; concurrent callers share one build. */
  snapshot(fleet: FleetVersion): Promise<ExportSnapshot>;
  /** An extra part for the empty/dup faults, made once per version. */
  extraPart(fleet: FleetVersion, kind: "empty" | "dup"): Promise<PartInfo>;
  /** A part of any version: URLs handed out before setFleet keep working until their SAS expires. */
  lookup(blobPath: string): PartInfo | undefined;
}

const HIVE_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";
/** Writes are batched into ~64 KiB chunks: one gzip write per line would dominate the build time. */
const FLUSH_BYTES = 64 * 1024;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** generatedTime to the minute, and the <yyyy-MM-dd>/<HHmm> folder that goes with it. */
function timeParts(ms: number): { generatedTime: string; folder: string } {
  const d = new Date(Math.floor(ms / 60000) * 60000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  return { generatedTime: d.toISOString().replace(/\.\d{3}Z$/, "Z"), folder: `${date}/${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}` };
}

interface Writer {
  part: PartInfo;
  gzip: Gzip;
  done: Promise<unknown>;
  buffer: string;
}

function openWriter(part: PartInfo): Writer {
  mkdirSync(dirname(part.filePath), { recursive: true });
  // Level 1: the parts are rewritten per fleet version and read once; speed matters more than size here.
  const gzip = createGzip({ level: 1, memLevel: 9, strategy: zlib.Z_DEFAULT_STRATEGY });
  const file = createWriteStream(part.filePath);
  gzip.pipe(file);
  return { part, gzip, done: once(file, "close"), buffer: "" };
}

async function flush(writer: Writer): Promise<void> {
  if (writer.buffer === "") return;
  const ok = writer.gzip.write(writer.buffer);
  writer.buffer = "";
  if (!ok) await once(writer.gzip, "drain");
}

export function createExportStore(dataDir: string, orgId: string): ExportStore {
  const builds = new Map<number, Promise<ExportSnapshot>>();
  const extras = new Map<string, Promise<PartInfo>>();
  const byPath = new Map<string, PartInfo>();

  function partFor(fleet: FleetVersion, folder: string, guid: string, group: string, number: number): PartInfo {
    const blobPath = `/${folder}/InfoGatheringExport/json/OrgId=${orgId}/_RbacGroupId=${group}/part-${pad(number, 5)}-${guid}.c000.json.gz`;
    const part: PartInfo = { blobPath, filePath: join(dataDir, "exports", `v${fleet.version}`, blobPath), records: 0, firstIndex: -1 };
    byPath.set(blobPath, part);
    return part;
  }

  function jobGuid(fleet: FleetVersion): string {
    return new Rng(seedWords(`export:${fleet.seed}`), fleet.version).guid();
  }

  async function build(fleet: FleetVersion): Promise<ExportSnapshot> {
    const { generatedTime, folder } = timeParts(fleet.generatedMs);
    const guid = jobGuid(fleet);
    const writers = new Map<string, Writer>();
    const groupCounts = new Map<string, number>();
    const ordered: Writer[] = [];
    const { source } = fleet;
    for (let i = 0; i < source.size; i++) {
      const record = source.device(i);
      const groupId = record.rbacGroupId;
      const group = typeof groupId === "number" || typeof groupId === "string" ? String(groupId) : HIVE_NULL_PARTITION;
      const count = groupCounts.get(group) ?? 0;
      groupCounts.set(group, count + 1);
      const key = `${group}/${count % fleet.parts}`;
      let writer = writers.get(key);
      if (writer === undefined) {
        writer = openWriter(partFor(fleet, folder, guid, group, ordered.length));
        writers.set(key, writer);
        ordered.push(writer);
      }
      if (writer.part.firstIndex < 0) writer.part.firstIndex = i;
      writer.part.records++;
      writer.buffer += `${toFileLine(record)}\n`;
      if (writer.buffer.length >= FLUSH_BYTES) await flush(writer);
      // Let the server answer other requests while a large fleet is being written.
      if (i % 2048 === 2047) await yieldToLoop();
    }
    for (const writer of ordered) {
      await flush(writer);
      writer.gzip.end();
      await writer.done;
    }
    return { version: fleet.version, generatedTime, parts: ordered.map((w) => w.part) };
  }

  async function writeExtra(fleet: FleetVersion, kind: "empty" | "dup", base: ExportSnapshot): Promise<PartInfo> {
    const { folder } = timeParts(fleet.generatedMs);
    const source = base.parts.find((p) => p.records > 0);
    const record = kind === "dup" && source ? fleet.source.device(source.firstIndex) : undefined;
    const groupId = record?.rbacGroupId;
    const group = typeof groupId === "number" || typeof groupId === "string" ? String(groupId) : (/_RbacGroupId=([^/]+)/.exec(base.parts[0]?.blobPath ?? "")?.[1] ?? "0");
    // Numbered after the regular parts (and after the other extra kind) so names never clash.
    const part = partFor(fleet, folder, jobGuid(fleet), group, base.parts.length + (kind === "empty" ? 0 : 1));
    const writer = openWriter(part);
    if (record !== undefined) {
      writer.buffer = `${toFileLine(record)}\n`;
      part.records = 1;
      part.firstIndex = source?.firstIndex ?? -1;
    }
    await flush(writer);
    writer.gzip.end();
    await writer.done;
    return part;
  }

  return {
    snapshot(fleet) {
      let pending = builds.get(fleet.version);
      if (pending === undefined) {
        pending = build(fleet);
        builds.set(fleet.version, pending);
        // A failed build (disk full...) is retried by the next export call rather than cached.
        pending.catch(() => builds.delete(fleet.version));
      }
      return pending;
    },
    async extraPart(fleet, kind) {
      const key = `${fleet.version}/${kind}`;
      let pending = extras.get(key);
      if (pending === undefined) {
        pending = this.snapshot(fleet).then((base) => writeExtra(fleet, kind, base));
        extras.set(key, pending);
      }
      return pending;
    },
    lookup(blobPath) {
      return byPath.get(blobPath);
    },
  };
}
