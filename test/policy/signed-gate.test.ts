/**
 * The pack under settings.fleet.signed, over the real engine and a directory store (no Pulumi, no Defender):
 * a verified publication is evaluated and named in violations and reports; a refused one fails every mandatory
 * rule with its code; the stack's DeviceAvHealth resources, Defender settings and a planted local copy change
 * nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { buildAvHealthPolicies } from "../../src/policy";
import { createSignedSnapshotTaker } from "../../src/policy/signedSnapshot";
import type { FleetPins } from "../../src/config/types";
import { directoryStore, makeKey, OTHER_TENANT, publishFixture, TENANT, writeCustom, makeSnapshot } from "../publication/support";
import { knownFleet, runStackPolicy, stackResource } from "./fakes";

const key = makeKey("ed25519");
const rotated = makeKey("ecdsa-p256");

let tmp: string;
let store: string;
let packDir: string;
let env: Record<string, string>;

function indent(pem: string): string {
  return pem.trimEnd().split("\n").map((l) => `          ${l}`).join("\n");
}

function rules(keys: string[], maxAge = "25h"): string {
  return `version: 1
settings:
  fleet:
    tenantId: ${TENANT}
    signed:
      from: ${store}
      maxAge: ${maxAge}
      keys:
${keys.map((pem) => `        - |\n${indent(pem)}`).join("\n")}
rules:
  - id: signatures-current
    description: Signatures are current
    enforcement: mandatory
    require:
      avIsSignatureUpToDate: true
    threshold:
      minPercent: 90
  - id: active-mode
    description: Active mode
    enforcement: advisory
    require:
      avMode: active
`;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avh-signed-gate-"));
  store = path.join(tmp, "store");
  fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
  packDir = path.join(tmp, "policy");
  fs.mkdirSync(packDir);
  fs.writeFileSync(path.join(packDir, "compliance.yaml"), rules([key.publicPem]));
  env = { PULUMI_PROJECT: "proj", AVHEALTH_CACHE_DIR: path.join(tmp, "cache"), AVHEALTH_API_URL: "https://127.0.0.1:1", AZURE_CLIENT_SECRET: "client-secret-canary-77" };
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runAll(): Promise<Record<string, string[]>> {
  const built = await buildAvHealthPolicies({ packDir, env });
  const out: Record<string, string[]> = {};
  // A DeviceAvHealth resource of the stack pointing at a compliant snapshot of its own choosing: ignored.
  const planted = path.join(tmp, "planted.ndjson.gz");
  await makeSnapshot(planted, { devices: 3 });
  const resources = [stackResource(), knownFleet("fleet", planted)];
  for (const policy of built.policies as StackValidationPolicy[]) out[policy.name] = (await runStackPolicy(policy, resources)).map((v) => v.message);
  return out;
}

it("evaluates a verified publication and names location, keyid, fetchedAt, age and device count", async () => {
  await publishFixture(directoryStore(store), key, path.join(tmp, "work"), { devices: 40, outdated: 10 });
  const violations = await runAll();
  expect(violations["signatures-current"]).toHaveLength(1);
  const message = violations["signatures-current"]![0]!;
  expect(message).toContain(`the signed publication of tenant ${TENANT} (${store}, keyid ${key.verifying.keyid.slice(0, 16)}…`);
  expect(message).toMatch(/, 0m old, 40 devices\): rule signatures-current failed: 75\.00% of 40 counted devices comply/);
  const report = JSON.parse(fs.readFileSync(path.join(tmp, "avhealth-reports", "avhealth-report.json"), "utf8")) as { snapshot: { deviceCount: number; publication: Record<string, unknown> } };
  expect(report.snapshot.deviceCount).toBe(40);
  expect(report.snapshot.publication).toMatchObject({ location: store, keyid: key.verifying.keyid, deviceCount: 40 });
  expect(fs.readFileSync(path.join(tmp, "avhealth-reports", "avhealth-report.md"), "utf8")).toContain(`Signed publication ${store}`);
});

it("passes a compliant publication signed by either of two pinned keys (key rotation)", async () => {
  fs.writeFileSync(path.join(packDir, "compliance.yaml"), rules([key.publicPem, rotated.publicPem]));
  await publishFixture(directoryStore(store), rotated, path.join(tmp, "work"), { devices: 40 });
  expect(await runAll()).toEqual({ "signatures-current": [], "active-mode": [], "avhealth-reports": [] });
});

it.each<[string, () => Promise<void>, string]>([
  ["a signature by another key", () => publishFixture(directoryStore(store), rotated, path.join(tmp, "w")).then(() => undefined), "SIGNATURE_INVALID"],
  [
    "another tenant's publication signed by the right key",
    async () => {
      const file = path.join(tmp, "o.ndjson.gz");
      await writeCustom(store, file, await makeSnapshot(file, { tenantId: OTHER_TENANT }), key, { predicate: { tenantId: OTHER_TENANT } });
    },
    "PUBLICATION_TENANT_MISMATCH",
  ],
  ["no publication at all", async () => undefined, "PUBLICATION_NOT_FOUND"],
])("fails every mandatory rule closed on %s, with the code", async (_, arrange, code) => {
  await arrange();
  const violations = await runAll();
  expect(violations["signatures-current"]).toEqual([expect.stringContaining(`[${code}]`)]);
  expect(violations["signatures-current"]![0]).toMatch(/cannot be checked, so it fails closed: the signed publication at .* cannot be used/);
  expect(JSON.stringify(violations)).not.toContain("client-secret-canary-77");
});

it("fails closed after maxAge when the publisher stops, saying so", async () => {
  const file = path.join(tmp, "old.ndjson.gz");
  await writeCustom(store, file, await makeSnapshot(file, { fetchedAt: new Date(Date.now() - 3 * 3_600_000) }), key);
  fs.writeFileSync(path.join(packDir, "compliance.yaml"), rules([key.publicPem], "2h"));
  const [message] = (await runAll())["signatures-current"]!;
  expect(message).toContain("[PUBLICATION_STALE]");
  expect(message).toContain("the publisher has stopped publishing");
});

it("never throws: the taker turns a bad location into an unknown fleet with the code", async () => {
  const pins: FleetPins = {
    tenantId: TENANT,
    cloud: "commercial",
    allowApiUrls: [],
    allowAuthorityHosts: [],
    caFiles: [],
    caCertificates: [],
    method: "auto",
    cacheTtlSeconds: 300,
    signed: { from: "http://127.0.0.1:9/devstoreaccount1/pubs/p", keys: [{ pem: key.publicPem, keyid: key.verifying.keyid }], maxAgeMs: 3_600_000 },
  };
  const take = createSignedSnapshotTaker({ pins, env: { AZURE_STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5LWNhbmFyeS0xMjM0NTY=;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;" }, cacheDir: tmp, retry: { maxTries: 1, retryDelayInMs: 10 } });
  const ref = await take("urn:x");
  expect(ref.kind).toBe("unknown");
  expect(ref.kind === "unknown" && ref.reason).toMatch(/\[STORE_UNREACHABLE\]$/);
  expect(JSON.stringify(ref)).not.toContain("a2V5LWNhbmFyeS0xMjM0NTY=");
});
