/**
 * Publishing a complete snapshot: upload the snapshot file under its sha256, then the signed envelope, then
 * remove snapshot files beyond the newest `keep`. A reader therefore never meets an envelope whose subject is
 * missing, and a failed upload leaves the previous publication in place.
 */
import type { CloudName } from "../config/types";
import { AvHealthError, ErrorCodes } from "../errors";
import { signEnvelope, type SigningKey } from "../signing";
import type { SnapshotHeader } from "../snapshot";
import type { PublicationStore } from "../store";
import { packageInfo } from "../util/package-info";
import { buildStatement } from "./statement";
import { LATEST_NAME, PAYLOAD_TYPE, SNAPSHOTS_DIR, subjectName, type FleetSnapshotStatement } from "./types";
import { sha256File } from "./verify";

export interface PublishOptions {
  store: PublicationStore;
  snapshotPath: string;
  header: SnapshotHeader;
  cloud: CloudName;
  key: SigningKey;
  expiresMs: number;
  keep: number;
  log?: (line: string) => void;
}

export interface PublishResult {
  statement: FleetSnapshotStatement;
  subject: string;
  keyid: string;
  removed: string[];
}

export async function publishSnapshot(options: PublishOptions): Promise<PublishResult> {
  const { store, header, key } = options;
  const log = options.log ?? (() => undefined);
  const tenantId = header.source.tenantId;
  if (!header.complete) {
    throw new AvHealthError(
      ErrorCodes.SNAPSHOT_INCOMPLETE,
      `The snapshot is incomplete (${(header.incompleteReasons ?? []).slice(0, 2).join("; ") || "pages or parts were lost"}), and only complete snapshots are published; the previous publication stays in place. Fix the cause and run again.`,
    );
  }
  if (header.schemaVersion !== 2 || typeof tenantId !== "string" || tenantId === "" || header.source.apiUrl === null) {
    throw new AvHealthError(ErrorCodes.SNAPSHOT_INVALID, "Only snapshots fetched from the Defender API by this tool (schema 2, with their tenant and API URL) can be published: take one with `avhealth fetch`.");
  }
  const sha256 = await sha256File(options.snapshotPath);
  const fetchedAt = Date.parse(header.fetchedAt);
  const statement = buildStatement(sha256, {
    tenantId,
    cloud: options.cloud,
    apiUrl: header.source.apiUrl,
    method: header.method,
    deviceCount: header.deviceCount,
    complete: true,
    digest: header.digest,
    snapshotSchemaVersion: 2,
    generatedTime: header.generatedTime,
    fetchedAt: header.fetchedAt,
    expiresAt: new Date(fetchedAt + options.expiresMs).toISOString(),
    publisher: { tool: packageInfo().name, version: packageInfo().version },
  });
  const subject = subjectName(sha256);
  log(`avhealth publish: uploading ${subject} to ${store.location}`);
  await store.write(subject, { file: options.snapshotPath });
  const envelope = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), "utf8"), key);
  await store.write(LATEST_NAME, { body: Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, "utf8") });
  log(`avhealth publish: wrote ${store.location}/${LATEST_NAME}`);
  const removed = await pruneSnapshots(store, subject, options.keep);
  for (const name of removed) log(`avhealth publish: removed ${name} (beyond --keep ${options.keep})`);
  return { statement, subject, keyid: key.keyid, removed };
}

/** Keeps the current subject and the newest others, `keep` files in all. */
async function pruneSnapshots(store: PublicationStore, current: string, keep: number): Promise<string[]> {
  const files = (await store.list(SNAPSHOTS_DIR)).filter((file) => /^snapshots\/[0-9a-f]{64}\.ndjson\.gz$/.test(file.name) && file.name !== current);
  files.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  const doomed = files.slice(Math.max(0, keep - 1)).map((file) => file.name);
  for (const name of doomed) await store.remove(name);
  return doomed;
}
