/** keygen, publish, verify and check --from through the CLI (in-process), with a directory store. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runAvhealth } from "./run-cli";
import { makeSnapshot, TENANT, OTHER_TENANT } from "../publication/support";

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avh-cli-pub-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runAvhealth(argv, { cwd: tmp, env: { AVHEALTH_CACHE_DIR: path.join(tmp, "cache"), ...env } });

it("keygen writes a 0600 PKCS#8 private key and an SPKI public key, prints the keyid, and never overwrites", async () => {
  const first = await run(["keygen", "--out", "keys", "--type", "ecdsa-p256"]);
  expect(first.code).toBe(0);
  const priv = path.join(tmp, "keys", "avhealth-signing.key");
  expect(fs.statSync(priv).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(priv, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  expect(first.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----[\s\S]*\nkeyid: [0-9a-f]{64}\n$/);
  expect(first.stdout + first.stderr).not.toContain(fs.readFileSync(priv, "utf8").split("\n")[1]);
  const before = fs.readFileSync(priv, "utf8");
  const again = await run(["keygen", "--out", "keys"]);
  expect(again.code).toBe(2);
  expect(fs.readFileSync(priv, "utf8")).toBe(before);
});

describe("publish, verify, check --from", () => {
  let pub: string;
  let privateKey: string;
  beforeEach(async () => {
    await run(["keygen", "--out", "keys"]);
    pub = path.join(tmp, "keys", "avhealth-signing.pub");
    privateKey = fs.readFileSync(path.join(tmp, "keys", "avhealth-signing.key"), "utf8");
    await makeSnapshot(path.join(tmp, "snap.ndjson.gz"), { devices: 25, outdated: 5 });
  });

  it("publishes with AVHEALTH_SIGNING_KEY, verifies, and gates with check --from", async () => {
    const published = await run(["publish", "--to", "store", "--snapshot", "snap.ndjson.gz", "--expires", "2h"], { AVHEALTH_SIGNING_KEY: privateKey });
    expect(published.code).toBe(0);
    expect(published.stdout + published.stderr).not.toContain(privateKey.split("\n")[1]);
    const verified = await run(["verify", "store", "--key", pub, "--tenant", TENANT, "--out", "copy.ndjson.gz"]);
    expect(verified.code).toBe(0);
    const printed = JSON.parse(verified.stdout) as { predicate: { deviceCount: number; expiresAt: string; fetchedAt: string } };
    expect(printed.predicate.deviceCount).toBe(25);
    expect(Date.parse(printed.predicate.expiresAt) - Date.parse(printed.predicate.fetchedAt)).toBe(2 * 3_600_000);
    expect(fs.readFileSync(path.join(tmp, "copy.ndjson.gz")).equals(fs.readFileSync(path.join(tmp, "snap.ndjson.gz")))).toBe(true);
    fs.writeFileSync(path.join(tmp, "rules.yaml"), "version: 1\nrules:\n  - id: sig\n    description: d\n    enforcement: mandatory\n    require: { avIsSignatureUpToDate: true }\n    threshold: { minPercent: 90 }\n");
    const checked = await run(["check", "--rules", "rules.yaml", "--from", "store", "--key", pub, "--tenant", TENANT, "--report-dir", "reports", "--format", "json,md,html"]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/sig/);
    const store = path.join(tmp, "store");
    for (const file of ["avhealth-report.md", "avhealth-report.html"]) {
      expect(fs.readFileSync(path.join(tmp, "reports", file), "utf8")).toMatch(new RegExp(`${store.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}[:,] keyid [0-9a-f]{16}…, fetched `));
    }
    // A report of a publication reads back as a baseline.
    fs.copyFileSync(path.join(tmp, "reports", "avhealth-report.json"), path.join(tmp, "baseline.json"));
    const compared = await run(["check", "--rules", "rules.yaml", "--from", "store", "--key", pub, "--tenant", TENANT, "--report-dir", "reports2", "--baseline", "baseline.json"]);
    expect([compared.code, compared.stderr]).toEqual([1, expect.not.stringContaining("BASELINE_INVALID")]);
  });

  it("check --from takes keys, tenant and maxAge from the rule file's settings.fleet.signed when no flag names them", async () => {
    expect((await run(["publish", "--to", "store", "--snapshot", "snap.ndjson.gz"], { AVHEALTH_SIGNING_KEY: privateKey })).code).toBe(0);
    const pem = fs.readFileSync(pub, "utf8").trimEnd().split("\n").map((l) => `          ${l}`).join("\n");
    const pinned = (tenant: string) =>
      `version: 1\nsettings:\n  fleet:\n    tenantId: ${tenant}\n    signed:\n      from: store\n      keys:\n        - |\n${pem}\n` +
      "rules:\n  - id: sig\n    description: d\n    enforcement: mandatory\n    require: { avIsSignatureUpToDate: true }\n    threshold: { minPercent: 70 }\n";
    fs.writeFileSync(path.join(tmp, "pinned.yaml"), pinned(TENANT));
    expect((await run(["check", "--rules", "pinned.yaml", "--from", "store", "--report-dir", "reports"])).code).toBe(0);
    fs.writeFileSync(path.join(tmp, "pinned.yaml"), pinned(OTHER_TENANT));
    const other = await run(["check", "--rules", "pinned.yaml", "--from", "store", "--report-dir", "reports"]);
    expect([other.code, other.stderr.includes("[PUBLICATION_TENANT_MISMATCH]")]).toEqual([3, true]);
  });

  it.each<[string, string[], number, string]>([
    ["another tenant pinned", ["--tenant", OTHER_TENANT], 3, "PUBLICATION_TENANT_MISMATCH"],
    ["another cloud pinned", ["--tenant", TENANT, "--cloud", "gcc"], 3, "PUBLICATION_CLOUD_MISMATCH"],
    ["maxAge passed", ["--tenant", TENANT, "--now", new Date(Date.now() + 3 * 3_600_000).toISOString(), "--max-age", "2h"], 3, "PUBLICATION_STALE"],
    ["expiresAt passed", ["--tenant", TENANT, "--now", new Date(Date.now() + 3 * 3_600_000).toISOString(), "--max-age", "4h"], 3, "PUBLICATION_EXPIRED"],
    ["a bad --max-age", ["--tenant", TENANT, "--max-age", "soon"], 2, "USAGE"],
  ])("verify refuses %s with its code", async (_, flags, exit, code) => {
    expect((await run(["publish", "--to", "store", "--snapshot", "snap.ndjson.gz", "--expires", "2h"], { AVHEALTH_SIGNING_KEY: privateKey })).code).toBe(0);
    const result = await run(["verify", "store", "--key", pub, ...flags]);
    expect(result.code).toBe(exit);
    expect(result.stderr).toContain(`[${code}]`);
  });

  it("publish refuses --filter, a missing key and a bad key, before fetching anything", async () => {
    expect((await run(["publish", "--to", "store", "--filter", "x eq 1"])).stderr).toContain("[USAGE]");
    const readOnly = await run(["publish", "--to", "https://store.example.com/avhealth"], { AVHEALTH_SIGNING_KEY: privateKey });
    expect([readOnly.code, readOnly.stderr.includes("[STORE_READ_ONLY]")]).toEqual([2, true]);
    const missing = await run(["publish", "--to", "store"]);
    expect([missing.code, missing.stderr.includes("AVHEALTH_SIGNING_KEY")]).toEqual([2, true]);
    const bad = await run(["publish", "--to", "store"], { AVHEALTH_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LWNhbmFyeQ==\n-----END PRIVATE KEY-----\n" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("[SIGNING_KEY_INVALID]");
    expect(bad.stderr).not.toContain("bm90LWEta2V5LWNhbmFyeQ");
  });

  it("publishes no incomplete snapshot", async () => {
    const { SnapshotWriter } = await import("../../src/snapshot");
    const writer = new SnapshotWriter({ fetchedAt: new Date(), tmpDir: tmp });
    const out = await writer.finish({ outPath: path.join(tmp, "partial.ndjson.gz"), method: "files", generatedTime: null, source: { apiUrl: "https://a", tenantId: TENANT, filter: null }, incompleteReasons: ["part 2 of 3 failed"] });
    expect(out.header.complete).toBe(false);
    const result = await run(["publish", "--to", "store", "--snapshot", "partial.ndjson.gz"], { AVHEALTH_SIGNING_KEY: privateKey });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("[SNAPSHOT_INCOMPLETE]");
    expect(fs.existsSync(path.join(tmp, "store", "latest.dsse.json"))).toBe(false);
  });
});
