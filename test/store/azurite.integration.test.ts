/**
 * Publications in Azure Blob Storage, against Azurite (the official emulator) on a free port: published with a
 * connection string, read with a read-only container SAS (in the URL or in AVHEALTH_STORE_SAS) and with the
 * connection string; an unchanged snapshot file answers 304 and the local copy is used (and verified again); a
 * tampered local copy is refused, then replaced; a read-only SAS cannot publish; secrets never appear.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { LATEST_NAME, LocalCopies, verifyPublication } from "../../src/publication";
import { openStore, parseLocation, type PublicationStore, type ReadResult, type DownloadResult } from "../../src/store";
import { runAvhealth } from "../cli/run-cli";
import { codeOf } from "../helpers/errors";
import { AZURITE_KEY, createContainerWithReadSas, startAzurite, type RunningAzurite } from "../helpers/azurite";
import { makeKey, makeSnapshot, TENANT } from "../publication/support";

jest.setTimeout(120_000);

const key = makeKey("ecdsa-p256");
let azurite: RunningAzurite;
let tmp: string;
let sas: string;
let location: string;
let pubFile: string;
let snapshot: string;

beforeAll(async () => {
  azurite = await startAzurite();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avh-azurite-"));
  sas = await createContainerWithReadSas(azurite, "avhealth");
  location = `${azurite.serviceUrl}/avhealth/prod`;
  pubFile = path.join(tmp, "signing.pub");
  fs.writeFileSync(pubFile, key.publicPem);
  snapshot = path.join(tmp, "snap.ndjson.gz");
  await makeSnapshot(snapshot, { devices: 30 });
});

afterAll(async () => {
  await azurite?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const SAS_SIG = () => /sig=([^&]+)/.exec(sas)?.[1] ?? "no-sig";

function publish(extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return runAvhealth(["publish", "--to", location, "--snapshot", snapshot, ...extra], {
    cwd: tmp,
    env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AVHEALTH_SIGNING_KEY: key.privatePem, AVHEALTH_CACHE_DIR: path.join(tmp, "cli-cache"), ...env },
  });
}

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(SAS_SIG());
  expect(text).not.toContain(decodeURIComponent(SAS_SIG()));
  expect(text).not.toContain(AZURITE_KEY);
  expect(text).not.toContain(key.privatePem.split("\n")[1]);
}

/** A store that records whether each read came back modified (200) or not (304). */
function recording(store: PublicationStore, log: string[]): PublicationStore {
  return {
    location: store.location,
    remote: store.remote,
    writable: store.writable,
    read: async (name, etag) => note(name, await store.read(name, etag)),
    download: async (name, dest, etag) => note(name, await store.download(name, dest, etag)),
    write: (name, source) => store.write(name, source),
    list: (prefix) => store.list(prefix),
    remove: (name) => store.remove(name),
  };
  function note<T extends ReadResult | DownloadResult>(name: string, result: T): T {
    log.push(`${name.startsWith("snapshots/") ? "snapshot" : name}:${result.modified ? 200 : 304}`);
    return result;
  }
}

describe("Azure Blob Storage through Azurite", () => {
  it("publishes with a connection string: snapshot under its sha256, then the envelope", async () => {
    const run = await publish();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`published .*/avhealth/prod/latest\\.dsse\\.json: tenant ${TENANT} \\(commercial\\), 30 devices`));
    const names = (await openStore(parseLocation(location, tmp), { credentials: { connectionString: azurite.connectionString } }).list("snapshots")).map((f) => f.name);
    expect(names).toEqual([expect.stringMatching(/^snapshots\/[0-9a-f]{64}\.ndjson\.gz$/)]);
    expectNoSecrets(run.stdout + run.stderr);
  });

  it("verifies with a read-only container SAS in the URL, in AVHEALTH_STORE_SAS, and with the connection string", async () => {
    const cache = path.join(tmp, "verify-cache");
    const inUrl = await runAvhealth(["verify", `${location}?${sas}`, "--key", pubFile, "--tenant", TENANT], { cwd: tmp, env: { AVHEALTH_CACHE_DIR: cache } });
    expect(inUrl.code).toBe(0);
    expect(JSON.parse(inUrl.stdout)).toMatchObject({ keyid: key.verifying.keyid, predicate: { tenantId: TENANT, deviceCount: 30, complete: true } });
    expectNoSecrets(inUrl.stdout + inUrl.stderr);
    const inEnv = await runAvhealth(["verify", location, "--key", pubFile, "--tenant", TENANT], { cwd: tmp, env: { AVHEALTH_CACHE_DIR: cache, AVHEALTH_STORE_SAS: sas } });
    expect(inEnv.code).toBe(0);
    const withCs = await runAvhealth(["verify", location, "--key", pubFile, "--tenant", TENANT], { cwd: tmp, env: { AVHEALTH_CACHE_DIR: cache, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString } });
    expect(withCs.code).toBe(0);
    const none = await runAvhealth(["verify", location, "--key", pubFile, "--tenant", TENANT], { cwd: tmp, env: { AVHEALTH_CACHE_DIR: cache, AVHEALTH_STORE_SAS: "sv=2020-02-10&sr=c&sp=rl&sig=bm90LWEtc2ln" } });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain("[STORE_ACCESS_DENIED]");
    expect(none.stderr).not.toContain("bm90LWEtc2ln");
  });

  it("answers 304 for an unchanged publication, uses the local copy and still verifies it; a tampered copy is refused, then replaced", async () => {
    const log: string[] = [];
    const store = recording(openStore(parseLocation(location, tmp), { credentials: { sas } }), log);
    const copies = new LocalCopies(path.join(tmp, "copies"), store.location);
    const verify = () => verifyPublication({ store, keys: [key.verifying], pins: { tenantId: TENANT, cloud: "commercial", maxAgeMs: 3_600_000 }, now: new Date(), copies });
    const first = await verify();
    const second = await verify();
    // The envelope (a few KB) is read afresh every time; the snapshot file, named by its signed sha256, is kept.
    expect(log).toEqual([`${LATEST_NAME}:200`, "snapshot:200", `${LATEST_NAME}:200`, "snapshot:304"]);
    expect(second.snapshotPath).toBe(first.snapshotPath);
    // Disk is not trusted: change the local copy, and the verdict is a refusal, not an evaluation.
    const bytes = fs.readFileSync(first.snapshotPath);
    bytes[bytes.length - 5] ^= 0xff;
    fs.writeFileSync(first.snapshotPath, bytes);
    expect(await codeOf(verify())).toBe("SNAPSHOT_DIGEST_MISMATCH");
    log.length = 0;
    await expect(verify()).resolves.toMatchObject({ keyid: key.verifying.keyid });
    expect(log).toEqual([`${LATEST_NAME}:200`, "snapshot:200"]);
  });

  it("an older envelope planted in the local copies beside the current ETag is never evaluated (no rollback)", async () => {
    const store = openStore(parseLocation(location, tmp), { credentials: { sas } });
    const older = (await store.read(LATEST_NAME)) as Extract<ReadResult, { modified: true }>;
    // A newer publication: its fetchedAt is later (the snapshot's own time is older, so the file name differs).
    const again = path.join(tmp, "snap-again.ndjson.gz");
    await makeSnapshot(again, { devices: 31 });
    expect((await runAvhealth(["publish", "--to", location, "--snapshot", again], {
      cwd: tmp,
      env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AVHEALTH_SIGNING_KEY: key.privatePem },
    })).code).toBe(0);
    const current = (await store.read(LATEST_NAME)) as Extract<ReadResult, { modified: true }>;
    expect(current.etag).not.toBe(older.etag);
    // Whoever can write the cache directory plants the older envelope under the current ETag.
    const copiesDir = path.join(tmp, "planted");
    const copies = new LocalCopies(copiesDir, store.location);
    const [publicationDir] = await (async () => {
      await verifyPublication({ store, keys: [key.verifying], pins: { tenantId: TENANT, cloud: "commercial", maxAgeMs: 3_600_000 }, now: new Date(), copies });
      return fs.readdirSync(path.join(copiesDir, "publications")).map((d) => path.join(copiesDir, "publications", d));
    })();
    fs.writeFileSync(path.join(publicationDir as string, LATEST_NAME), older.body);
    fs.writeFileSync(path.join(publicationDir as string, `${LATEST_NAME}.etag`), current.etag ?? "");
    const verified = await verifyPublication({ store, keys: [key.verifying], pins: { tenantId: TENANT, cloud: "commercial", maxAgeMs: 3_600_000 }, now: new Date(), copies });
    expect(verified.predicate.deviceCount).toBe(31);
  });

  it("refuses to publish with a read-only SAS (exit 4) and keeps --keep snapshot files", async () => {
    const readOnly = await publish([], { AZURE_STORAGE_CONNECTION_STRING: "", AVHEALTH_STORE_SAS: sas });
    expect(readOnly.code).toBe(4);
    expect(readOnly.stderr).toContain("[STORE_ACCESS_DENIED]");
    expectNoSecrets(readOnly.stdout + readOnly.stderr);
    for (let i = 0; i < 3; i++) {
      await makeSnapshot(snapshot, { devices: 31 + i });
      expect((await publish(["--keep", "2"])).code).toBe(0);
    }
    const names = (await openStore(parseLocation(location, tmp), { credentials: { connectionString: azurite.connectionString } }).list("snapshots")).map((f) => f.name);
    expect(names).toHaveLength(2);
  });

  it("evaluates a verified publication with check --from (no Defender credentials)", async () => {
    const rules = path.join(tmp, "rules.yaml");
    fs.writeFileSync(rules, "version: 1\nrules:\n  - id: sig\n    description: d\n    require: { avIsSignatureUpToDate: true }\n");
    const run = await runAvhealth(["check", "--rules", rules, "--from", `${location}?${sas}`, "--key", pubFile, "--tenant", TENANT, "--report-dir", path.join(tmp, "reports")], {
      cwd: tmp,
      env: { AVHEALTH_CACHE_DIR: path.join(tmp, "check-cache") },
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(tmp, "reports", "avhealth-report.json"), "utf8")) as { snapshot: { deviceCount: number; publication: { keyid: string; location: string } } };
    expect(report.snapshot.deviceCount).toBe(33);
    expect(report.snapshot.publication.keyid).toBe(key.verifying.keyid);
    expect(report.snapshot.publication.location).toBe(location);
    expectNoSecrets(run.stdout + run.stderr + fs.readFileSync(path.join(tmp, "reports", "avhealth-report.json"), "utf8"));
  });
});

describe("a connection string cannot move the location", () => {
  it("refuses one whose BlobEndpoint is another host than the pinned location's, before any request", async () => {
    const moved = azurite.connectionString.replace(/BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/, "BlobEndpoint=http://127.0.0.1:1");
    expect(moved).not.toBe(azurite.connectionString);
    const store = openStore(parseLocation(location, tmp), { credentials: { connectionString: moved } });
    await expect(store.list("snapshots")).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});

describe("DefaultAzureCredential path (an injected token credential)", () => {
  it("asks for a Storage token and never prints it; an unreachable account is STORE_UNREACHABLE", async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: (scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> => {
        scopes.push(...(Array.isArray(scope) ? scope : [scope]));
        return Promise.resolve({ token: "token-canary-eyJhbGciOi", expiresOnTimestamp: Date.now() + 3_600_000 });
      },
    };
    // https on a closed loopback port: the bearer policy needs https; nothing listens there.
    const store = openStore(parseLocation("https://127.0.0.1:9/devstoreaccount1/avhealth/prod", tmp), { credentials: { tokenCredential: credential }, retry: { maxTries: 1, retryDelayInMs: 10 } });
    const error = await store.read(LATEST_NAME).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe("STORE_UNREACHABLE");
    expect(scopes).toEqual(["https://storage.azure.com/.default"]);
    expect(String(error?.message)).not.toContain("token-canary");
  });

  it("says what to set when no credential is available (STORE_ACCESS_DENIED)", async () => {
    const unavailable: TokenCredential = {
      getToken: () => Promise.reject(Object.assign(new Error("EnvironmentCredential is unavailable"), { name: "CredentialUnavailableError" })),
    };
    const store = openStore(parseLocation("https://127.0.0.1:9/devstoreaccount1/avhealth/prod", tmp), { credentials: { tokenCredential: unavailable }, retry: { maxTries: 1, retryDelayInMs: 10 } });
    const error = await store.read(LATEST_NAME).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe("STORE_ACCESS_DENIED");
    expect(error?.message).toContain("AVHEALTH_STORE_SAS");
  });
});
