/** Fixtures for publication tests: snapshot files of a tenant, key pairs, publications and tampered envelopes. */
import * as fs from "node:fs";
import * as path from "node:path";
import { SnapshotWriter } from "../../src/snapshot";
import type { SnapshotHeader } from "../../src/snapshot";
import { buildStatement, LATEST_NAME, PAYLOAD_TYPE, publishSnapshot, sha256File, subjectName, type FleetSnapshotPredicate } from "../../src/publication";
import { generateKeyPair, loadPrivateKey, loadPublicKey, signEnvelope, type KeyType, type SigningKey, type VerifyingKey } from "../../src/signing";
import { openStore, parseLocation, type PublicationStore } from "../../src/store";
import { makeDevice } from "../snapshot/make-device";

export const TENANT = "11111111-2222-3333-4444-555555555555";
export const OTHER_TENANT = "99999999-8888-7777-6666-555555555555";

export interface TestKey {
  signing: SigningKey;
  verifying: VerifyingKey;
  privatePem: string;
  publicPem: string;
}

export function makeKey(type: KeyType = "ed25519"): TestKey {
  const pair = generateKeyPair(type);
  return { signing: loadPrivateKey(pair.privatePem, "test key"), verifying: loadPublicKey(pair.publicPem, "test key"), privatePem: pair.privatePem, publicPem: pair.publicPem };
}

export interface SnapshotSpec {
  devices?: number;
  tenantId?: string;
  fetchedAt?: Date;
  /** Devices whose signatures are out of date (they fail the e2e rules). */
  outdated?: number;
}

export async function makeSnapshot(file: string, spec: SnapshotSpec = {}): Promise<SnapshotHeader> {
  const fetchedAt = spec.fetchedAt ?? new Date();
  const writer = new SnapshotWriter({ fetchedAt, tmpDir: path.dirname(file) });
  const n = spec.devices ?? 20;
  const fresh = new Date(fetchedAt.getTime() - 3_600_000).toISOString();
  for (let i = 0; i < n; i++) {
    writer.add(
      makeDevice({
        machineId: `m-${String(i).padStart(6, "0")}`,
        computerDnsName: `host-${i}.contoso.test`,
        avIsSignatureUpToDate: i >= (spec.outdated ?? 0),
        lastSeenTime: fresh,
        dataRefreshTimestamp: fresh,
      }),
    );
  }
  const { header } = await writer.finish({
    outPath: file,
    method: "json",
    generatedTime: null,
    source: { apiUrl: "https://api.securitycenter.microsoft.com", tenantId: spec.tenantId ?? TENANT, filter: null },
    incompleteReasons: [],
  });
  return header;
}

export function directoryStore(dir: string): PublicationStore {
  return openStore(parseLocation(dir, process.cwd()));
}

/** Publishes a fresh snapshot to `store` with `key`; returns the snapshot file's path. */
export async function publishFixture(store: PublicationStore, key: TestKey, work: string, spec: SnapshotSpec & { expiresMs?: number; keep?: number } = {}): Promise<string> {
  fs.mkdirSync(work, { recursive: true });
  const file = path.join(work, `snap-${Math.random().toString(36).slice(2)}.ndjson.gz`);
  const header = await makeSnapshot(file, spec);
  await publishSnapshot({ store, snapshotPath: file, header, cloud: "commercial", key: key.signing, expiresMs: spec.expiresMs ?? 25 * 3_600_000, keep: spec.keep ?? 5 });
  return file;
}

/** The predicate a publication of `file` would carry; tests change one field and sign it themselves. */
export async function predicateFor(file: string, header: SnapshotHeader, change: Partial<FleetSnapshotPredicate> = {}): Promise<{ sha256: string; predicate: FleetSnapshotPredicate }> {
  const sha256 = await sha256File(file);
  const predicate: FleetSnapshotPredicate = {
    tenantId: header.source.tenantId ?? TENANT,
    cloud: "commercial",
    apiUrl: header.source.apiUrl ?? "",
    method: header.method,
    deviceCount: header.deviceCount,
    complete: true,
    digest: header.digest,
    snapshotSchemaVersion: 2,
    generatedTime: null,
    fetchedAt: header.fetchedAt,
    expiresAt: new Date(Date.parse(header.fetchedAt) + 25 * 3_600_000).toISOString(),
    publisher: { tool: "test", version: "0" },
    ...change,
  };
  return { sha256, predicate };
}

/** Writes snapshot + envelope into a directory store by hand, with one thing changed. */
export async function writeCustom(
  dir: string,
  file: string,
  header: SnapshotHeader,
  key: TestKey,
  change: { predicate?: Partial<FleetSnapshotPredicate>; payloadType?: string; statement?: (s: Record<string, unknown>) => void } = {},
): Promise<void> {
  const { sha256, predicate } = await predicateFor(file, header, change.predicate);
  fs.mkdirSync(path.join(dir, "snapshots"), { recursive: true });
  fs.copyFileSync(file, path.join(dir, subjectName(sha256)));
  const statement = buildStatement(sha256, predicate) as unknown as Record<string, unknown>;
  change.statement?.(statement);
  const envelope = signEnvelope(change.payloadType ?? PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key.signing);
  fs.writeFileSync(path.join(dir, LATEST_NAME), JSON.stringify(envelope));
}
