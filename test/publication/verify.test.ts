/**
 * Verification of publications in a directory store: a good one passes, and each way of getting it wrong is
 * refused with its own code (the attack: what the attacker changes; the verdict: the code).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCopies, verifyPublication, type PublicationPins } from "../../src/publication";
import type { VerifyingKey } from "../../src/signing";
import { codeOf } from "../helpers/errors";
import { directoryStore, makeKey, makeSnapshot, OTHER_TENANT, publishFixture, TENANT, writeCustom } from "./support";

const HOUR = 3_600_000;
const PINS: PublicationPins = { tenantId: TENANT, cloud: "commercial", maxAgeMs: 25 * HOUR };
const key = makeKey("ed25519");
const other = makeKey("ecdsa-p256");

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avh-verify-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function verify(dir: string, options: { keys?: VerifyingKey[]; pins?: Partial<PublicationPins>; now?: Date; deep?: boolean } = {}) {
  const store = directoryStore(dir);
  return verifyPublication({
    store,
    keys: options.keys ?? [key.verifying],
    pins: { ...PINS, ...options.pins },
    now: options.now ?? new Date(),
    copies: new LocalCopies(path.join(tmp, "cache"), store.location),
    deep: options.deep ?? true,
  });
}

async function customized(change: Parameters<typeof writeCustom>[4], spec: { fetchedAt?: Date; tenantId?: string } = {}, signer = key): Promise<string> {
  const dir = path.join(tmp, "store");
  const file = path.join(tmp, "snap.ndjson.gz");
  const header = await makeSnapshot(file, spec);
  await writeCustom(dir, file, header, signer, change);
  return dir;
}

describe("verifyPublication", () => {
  it("accepts a fresh publication signed by a pinned key and names its keyid, device count and age", async () => {
    const dir = path.join(tmp, "store");
    await publishFixture(directoryStore(dir), key, path.join(tmp, "work"), { devices: 12 });
    const verified = await verify(dir, { keys: [other.verifying, key.verifying] });
    expect(verified.keyid).toBe(key.verifying.keyid);
    expect(verified.predicate.deviceCount).toBe(12);
    expect(verified.predicate.tenantId).toBe(TENANT);
    expect(verified.ageMs).toBeLessThan(60_000);
    expect(verified.snapshotPath.startsWith(dir)).toBe(true);
  });

  it.each<[string, Parameters<typeof writeCustom>[4], string]>([
    ["another tenant, signed by the right key", { predicate: { tenantId: OTHER_TENANT } }, "PUBLICATION_TENANT_MISMATCH"],
    ["another cloud", { predicate: { cloud: "gcc" } }, "PUBLICATION_CLOUD_MISMATCH"],
    ["an incomplete snapshot", { predicate: { complete: false } }, "PUBLICATION_INCOMPLETE"],
    ["an expiresAt in the past", { predicate: { expiresAt: new Date(Date.now() - 60_000).toISOString() } }, "PUBLICATION_EXPIRED"],
    ["a predicate digest that is not the file's", { predicate: { digest: `sha256:${"a".repeat(64)}` } }, "SNAPSHOT_DIGEST_MISMATCH"],
    ["a device count that is not the file's", { predicate: { deviceCount: 21 } }, "SNAPSHOT_DIGEST_MISMATCH"],
    ["another payloadType, re-signed", { payloadType: "application/json" }, "PUBLICATION_INVALID"],
    ["another predicateType, re-signed", { statement: (s) => void (s.predicateType = "https://slsa.dev/provenance/v1") }, "PUBLICATION_INVALID"],
    ["another _type", { statement: (s) => void (s._type = "https://in-toto.io/Statement/v0.1") }, "PUBLICATION_INVALID"],
    ["two subjects", { statement: (s) => void (s.subject = [...(s.subject as unknown[]), ...(s.subject as unknown[])]) }, "PUBLICATION_INVALID"],
    ["a subject name outside snapshots/", { statement: (s) => void ((s.subject as Array<{ name: string }>)[0]!.name = "../../etc/passwd") }, "PUBLICATION_INVALID"],
  ])("refuses %s", async (_, change, code) => {
    expect(await codeOf(verify(await customized(change)))).toBe(code);
  });

  it("refuses a signature by another key (and names the pinned keyids)", async () => {
    const dir = await customized({}, {}, other);
    expect(await codeOf(verify(dir))).toBe("SIGNATURE_INVALID");
  });

  it("refuses an unsigned and a malformed envelope", async () => {
    const dir = await customized({});
    const envelope = JSON.parse(fs.readFileSync(path.join(dir, "latest.dsse.json"), "utf8")) as { signatures: unknown[] };
    fs.writeFileSync(path.join(dir, "latest.dsse.json"), JSON.stringify({ ...envelope, signatures: [] }));
    expect(await codeOf(verify(dir))).toBe("SIGNATURE_INVALID");
    fs.writeFileSync(path.join(dir, "latest.dsse.json"), "{not json");
    expect(await codeOf(verify(dir))).toBe("PUBLICATION_INVALID");
  });

  it("refuses a publication older than maxAge, and one from the future beyond 5 minutes", async () => {
    const dir = await customized({}, { fetchedAt: new Date(Date.now() - 26 * HOUR) }, key);
    // expiresAt is 25h after fetchedAt: with a longer maxAge the expiry is what refuses it.
    expect(await codeOf(verify(dir))).toBe("PUBLICATION_STALE");
    expect(await codeOf(verify(dir, { pins: { maxAgeMs: 48 * HOUR } }))).toBe("PUBLICATION_EXPIRED");
    const future = await customized({}, { fetchedAt: new Date(Date.now() + 10 * 60_000) });
    expect(await codeOf(verify(future))).toBe("PUBLICATION_FROM_FUTURE");
    // Within the allowed skew it passes.
    const skewed = await customized({}, { fetchedAt: new Date(Date.now() + 4 * 60_000) });
    await expect(verify(skewed)).resolves.toMatchObject({ keyid: key.verifying.keyid });
  });

  it("refuses a swapped subject file (same name, other bytes)", async () => {
    const dir = path.join(tmp, "store");
    await publishFixture(directoryStore(dir), key, path.join(tmp, "work"));
    const subject = fs.readdirSync(path.join(dir, "snapshots"))[0] as string;
    await makeSnapshot(path.join(tmp, "other.ndjson.gz"), { devices: 20 });
    fs.copyFileSync(path.join(tmp, "other.ndjson.gz"), path.join(dir, "snapshots", subject));
    expect(await codeOf(verify(dir))).toBe("SNAPSHOT_DIGEST_MISMATCH");
  });

  it("refuses an envelope too large to be one, without reading it", async () => {
    const dir = await customized({});
    fs.writeFileSync(path.join(dir, "latest.dsse.json"), Buffer.alloc(5 * 1024 * 1024, 0x20));
    expect(await codeOf(verify(dir))).toBe("PUBLICATION_INVALID");
  });

  it("says PUBLICATION_NOT_FOUND for an empty location", async () => {
    expect(await codeOf(verify(path.join(tmp, "nothing")))).toBe("PUBLICATION_NOT_FOUND");
  });

  it("keeps the newest --keep snapshot files, the current one included", async () => {
    const dir = path.join(tmp, "store");
    for (let i = 0; i < 4; i++) {
      await publishFixture(directoryStore(dir), key, path.join(tmp, "work"), { devices: 5 + i, keep: 2 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(fs.readdirSync(path.join(dir, "snapshots"))).toHaveLength(2);
    await expect(verify(dir)).resolves.toMatchObject({ predicate: { deviceCount: 8 } });
  });
});
