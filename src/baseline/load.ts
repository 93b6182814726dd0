/**
 * loadBaseline: an earlier avhealth JSON report, plain or gzip-compressed (told apart by the gzip magic bytes,
 * whatever the file is called), read once, up front, keeping only what a comparison needs
 * (read-report.ts). Anything that makes it unusable (missing, a damaged gzip file,
 * not JSON, not an avhealth report, a newer schema version) is BASELINE_INVALID naming the file: comparing with
 * a file that is not what the user meant must stop the run, never silently compare with nothing.
 */
import * as fsSync from "node:fs";
import Ajv from "ajv";
import { AvHealthError, ErrorCodes } from "../errors";
import { deviceListView } from "../util/list-view";
import { GunzipFileSource, GzipInputError } from "./gunzip-source";
import { JsonReader, JsonSyntaxError } from "./json-reader";
import { readReport, type ReadReport } from "./read-report";
import { baselineReportSchema, NEWEST_REPORT_VERSION, type BaselineReportInput } from "./schema";
import type { Baseline, BaselineRule } from "./types";

const ajv = new Ajv({ allErrors: false, strict: true });
const validateBaseline = ajv.compile(baselineReportSchema);

/** `displayName` is how the file is named in errors and in the report (default `file`). */
export async function loadBaseline(file: string, displayName: string = file): Promise<Baseline> {
  let fd: number;
  try {
    // Synchronous chunked reads: the reader pulls bytes as it parses, and a CLI run has nothing else to do meanwhile.
    fd = fsSync.openSync(file, "r");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw invalid(displayName, missing ? "does not exist" : `cannot be read (${(error as Error).message})`, "check the path given as the baseline", error);
  }
  let gzipped: boolean;
  try {
    gzipped = startsWithGzipMagic(fd);
  } catch (error) {
    fsSync.closeSync(fd);
    throw invalid(displayName, `cannot be read (${(error as Error).message})`, "check the path given as the baseline", error);
  }
  if (gzipped) {
    fsSync.closeSync(fd);
    const source = new GunzipFileSource(file);
    try {
      return readBaseline(new JsonReader({ chunks: source }), displayName);
    } catch (error) {
      if (!(error instanceof GzipInputError)) throw error;
      throw invalid(displayName, `is a damaged gzip file (${error.message})`, "give the avhealth-report.json.gz of an earlier `avhealth check`, whole", error);
    } finally {
      source.close();
    }
  }
  try {
    return readBaseline(new JsonReader({ fd }), displayName);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** gzip's two magic bytes (RFC 1952), read without moving the file position. */
function startsWithGzipMagic(fd: number): boolean {
  const head = Buffer.alloc(2);
  return fsSync.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export function parseBaseline(text: string, displayName: string): Baseline {
  return readBaseline(new JsonReader({ buffer: Buffer.from(text, "utf8") }), displayName);
}

function readBaseline(reader: JsonReader, displayName: string): Baseline {
  let read: ReadReport;
  try {
    read = readReport(reader);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw invalid(displayName, `is not JSON (${error.message})`, "give the avhealth-report.json of an earlier `avhealth check`", error);
  }
  const head = read.head;
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
  if (!validateBaseline(head)) {
    const first = validateBaseline.errors?.[0];
    const where = first === undefined ? "" : ` at ${first.instancePath || "(document)"}: ${first.message ?? "invalid"}`;
    throw invalid(displayName, `is not a valid avhealth report${where}`, "give the avhealth-report.json of an earlier `avhealth check`");
  }
  if (read.badDevice !== null) throw invalid(displayName, `is not a valid avhealth report at ${read.badDevice}`, "give the avhealth-report.json of an earlier `avhealth check`");
  return toBaseline(head, read, displayName);
}

function toBaseline(report: BaselineReportInput, read: ReadReport, displayName: string): Baseline {
  const rules = new Map<string, BaselineRule>();
  report.rules.forEach((rule, i) => {
    // A duplicated rule id cannot come from avhealth (ids are unique per file); the first one is the rule.
    if (!rules.has(rule.id)) rules.set(rule.id, { status: rule.status, percent: rule.percent, failing: read.failing[i] ?? new Int32Array(0) });
  });
  return {
    info: { file: displayName, evaluatedAt: report.evaluatedAt, snapshotDigest: report.snapshot.digest },
    tenantId: report.snapshot.tenantId ?? null,
    devices: deviceListView({ length: read.machineIds.length, entry: (i) => ({ machineId: read.machineIds[i] as string, computerDnsName: read.names[i] as string | null }) }),
    machineIds: read.machineIds,
    names: read.names,
    deviceIndex: read.deviceIndex,
    rules,
  };
}

function invalid(file: string, problem: string, next: string, cause?: unknown): AvHealthError {
  return new AvHealthError(ErrorCodes.BASELINE_INVALID, `baseline ${file} ${problem}; ${next}`, { cause, details: { file } });
}
