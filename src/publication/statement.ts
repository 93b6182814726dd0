/**
 * Building and checking the in-toto Statement v1 of a publication. Checking is strict about the types that
 * decide trust (_type, predicateType, one subject, the predicate's fields); anything else is ignored.
 */
import { isCloudName } from "../config/clouds";
import { AvHealthError, ErrorCodes } from "../errors";
import { PREDICATE_TYPE, STATEMENT_TYPE, subjectName, type FleetSnapshotPredicate, type FleetSnapshotStatement } from "./types";

const HEX64 = /^[0-9a-f]{64}$/;
const SUBJECT = /^snapshots\/([0-9a-f]{64})\.ndjson\.gz$/;

export function buildStatement(sha256Hex: string, predicate: FleetSnapshotPredicate): FleetSnapshotStatement {
  return { _type: STATEMENT_TYPE, subject: [{ name: subjectName(sha256Hex), digest: { sha256: sha256Hex } }], predicateType: PREDICATE_TYPE, predicate };
}

/** The statement in a verified payload; PUBLICATION_INVALID names the first field that is wrong. */
export function parseStatement(payload: Buffer, where: string): FleetSnapshotStatement {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch (cause) {
    throw invalid(where, "its payload is not JSON", cause);
  }
  const s = asObject(value, where, "the statement");
  if (s._type !== STATEMENT_TYPE) throw invalid(where, `_type is ${show(s._type)}, not ${STATEMENT_TYPE}`);
  if (s.predicateType !== PREDICATE_TYPE) throw invalid(where, `predicateType is ${show(s.predicateType)}, not ${PREDICATE_TYPE}`);
  if (!Array.isArray(s.subject) || s.subject.length !== 1) throw invalid(where, "the statement must have exactly one subject");
  const subject = asObject(s.subject[0], where, "subject[0]");
  const digest = asObject(subject.digest, where, "subject[0].digest");
  const sha256 = digest.sha256;
  const name = subject.name;
  if (typeof sha256 !== "string" || !HEX64.test(sha256)) throw invalid(where, "subject[0].digest.sha256 is not 64 lowercase hex digits");
  const match = typeof name === "string" ? SUBJECT.exec(name) : null;
  // Content-addressed: the name carries the digest, so no name can point outside snapshots/ or at another file.
  if (match === null || match[1] !== sha256) throw invalid(where, `subject[0].name ${show(name)} is not snapshots/<its sha256>.ndjson.gz`);
  const predicate = parsePredicate(asObject(s.predicate, where, "predicate"), where);
  return { _type: STATEMENT_TYPE, subject: [{ name: match[0], digest: { sha256 } }], predicateType: PREDICATE_TYPE, predicate };
}

function parsePredicate(p: Record<string, unknown>, where: string): FleetSnapshotPredicate {
  const text = (key: string): string => {
    const value = p[key];
    if (typeof value !== "string" || value === "") throw invalid(where, `predicate.${key} is missing or not a string`);
    return value;
  };
  const time = (key: string): string => {
    const value = text(key);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) throw invalid(where, `predicate.${key} is not a timestamp`);
    return value;
  };
  const cloud = text("cloud");
  if (!isCloudName(cloud)) throw invalid(where, `predicate.cloud ${show(cloud)} is not a known cloud`);
  if (typeof p.deviceCount !== "number" || !Number.isSafeInteger(p.deviceCount) || p.deviceCount < 0) throw invalid(where, "predicate.deviceCount is not a count");
  if (typeof p.complete !== "boolean") throw invalid(where, "predicate.complete is not a boolean");
  const digest = text("digest");
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw invalid(where, "predicate.digest is not sha256:<hex>");
  if (p.snapshotSchemaVersion !== 2) throw invalid(where, `predicate.snapshotSchemaVersion is ${show(p.snapshotSchemaVersion)}, not 2`);
  const generated = p.generatedTime;
  if (generated !== null && generated !== undefined && typeof generated !== "string") throw invalid(where, "predicate.generatedTime is not a string");
  const publisher = asObject(p.publisher, where, "predicate.publisher");
  return {
    tenantId: text("tenantId"),
    cloud,
    apiUrl: text("apiUrl"),
    method: text("method"),
    deviceCount: p.deviceCount,
    complete: p.complete,
    digest,
    snapshotSchemaVersion: 2,
    generatedTime: typeof generated === "string" ? generated : null,
    fetchedAt: time("fetchedAt"),
    expiresAt: time("expiresAt"),
    publisher: { tool: String(publisher.tool ?? ""), version: String(publisher.version ?? "") },
  };
}

function asObject(value: unknown, where: string, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(where, `${what} is not an object`);
  return value as Record<string, unknown>;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function invalid(where: string, why: string, cause?: unknown): AvHealthError {
  return new AvHealthError(
    ErrorCodes.PUBLICATION_INVALID,
    `${where} is signed but is not a fleet-snapshot statement this version accepts: ${why}. Re-publish with \`avhealth publish\` of a matching version.`,
    { cause, details: { location: where } },
  );
}
