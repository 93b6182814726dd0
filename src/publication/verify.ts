/**
 * Verifying a publication, every time, on the bytes that will be evaluated: (1) the envelope parses, has the
 * in-toto payload type and a signature by a pinned key; (2) the statement is a fleet-snapshot statement with one
 * subject; (3) tenant, cloud and completeness match the pins; (4) it is fresh; (5) the subject file hashes to
 * the signed sha256 and its header carries the signed set digest and device count. The set digest itself is
 * checked by the snapshot reader as the devices are read (deep here, during evaluation in the gate).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { parseEnvelope, verifyEnvelope, type VerifyingKey } from "../signing";
import { readSnapshot } from "../snapshot";
import type { PublicationStore } from "../store";
import { checkFreshness, checkScope } from "./checks";
import type { LocalCopies } from "./local-copy";
import { parseStatement } from "./statement";
import { LATEST_NAME, PAYLOAD_TYPE, type PublicationPins, type VerifiedPublication } from "./types";

export interface VerifyPublicationOptions {
  store: PublicationStore;
  keys: readonly VerifyingKey[];
  pins: PublicationPins;
  now: Date;
  copies: LocalCopies;
  /** Read every device line too (set digest, count, one line per machine): `avhealth verify` does. */
  deep?: boolean;
  log?: (line: string) => void;
}

export async function verifyPublication(options: VerifyPublicationOptions): Promise<VerifiedPublication> {
  try {
    return await verifyOnce(options);
  } catch (error) {
    // A local copy that does not verify is not kept: the next run downloads the publication again.
    if (isAvHealthError(error) && options.store.remote) await options.copies.forget();
    throw error;
  }
}

async function verifyOnce(options: VerifyPublicationOptions): Promise<VerifiedPublication> {
  const { store, keys, pins, now, copies } = options;
  const where = `${store.location}/${LATEST_NAME}`;
  const fetched = await copies.envelope(store);
  const envelope = parseEnvelope(fetched.body, where);
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    throw new AvHealthError(
      ErrorCodes.PUBLICATION_INVALID,
      `${where} has payloadType ${JSON.stringify(envelope.payloadType.slice(0, 80))}, not ${PAYLOAD_TYPE}: it is not a publication of this tool; re-publish with \`avhealth publish\`.`,
      { details: { location: store.location } },
    );
  }
  const verified = verifyEnvelope(envelope, keys, where);
  const statement = parseStatement(verified.payload, where);
  const { predicate } = statement;
  checkScope(predicate, pins, where);
  const ageMs = checkFreshness(predicate, pins, now, where);

  const subject = statement.subject[0];
  const snapshot = await copies.snapshot(store, subject.name);
  const snapshotWhere = `${store.location}/${subject.name}${snapshot.fromCopy ? ` (local copy ${snapshot.path})` : ""}`;
  const actual = await sha256File(snapshot.path, snapshotWhere);
  if (!timingSafeEqual(Buffer.from(actual, "hex"), Buffer.from(subject.digest.sha256, "hex"))) {
    throw mismatch(
      snapshotWhere,
      `its bytes hash to sha256 ${actual.slice(0, 16)}…, not the signed ${subject.digest.sha256.slice(0, 16)}…`,
      snapshot.fromCopy ? "The local copy was changed on disk; it has been removed, so run again to download it afresh." : "The file was replaced after signing: re-publish.",
    );
  }
  const opened = await readSnapshot(snapshot.path);
  const { header } = opened;
  if (header.digest !== predicate.digest || header.deviceCount !== predicate.deviceCount) {
    throw mismatch(snapshotWhere, `its header (${header.digest.slice(0, 19)}…, ${header.deviceCount} devices) is not what the statement signs (${predicate.digest.slice(0, 19)}…, ${predicate.deviceCount} devices)`, "Re-publish.");
  }
  if (header.schemaVersion !== 2 || !header.complete) {
    throw mismatch(snapshotWhere, `its header says schema ${header.schemaVersion}, complete ${String(header.complete)}, where the statement signs a complete schema-2 snapshot`, "Re-publish.");
  }
  if (options.deep) {
    try {
      for await (const device of opened.devices()) void device;
    } catch (error) {
      throw isAvHealthError(error) ? mismatch(snapshotWhere, error.message, "Re-publish.") : error;
    }
  }
  if (store.remote) await copies.prune(subject.name);
  return { location: store.location, keyid: verified.keyid, statement, predicate, snapshotPath: snapshot.path, ageMs };
}

export async function sha256File(file: string, where: string = file): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.SNAPSHOT_NOT_FOUND, `Cannot read ${where}: ${(cause as Error).message}.`, { cause });
  }
  return hash.digest("hex");
}

function mismatch(where: string, why: string, todo: string): AvHealthError {
  return new AvHealthError(ErrorCodes.SNAPSHOT_DIGEST_MISMATCH, `${where} does not match its signed statement: ${why}. ${todo}`, { details: { location: where } });
}
