/**
 * Interop with a DSSE implementation we did not write (Python's `cryptography`, in a test-only venv): it verifies
 * our envelopes (both key types) and refuses a tampered one; an envelope it signs, about our snapshot, passes our
 * gate's verification, and fails it when the statement names another tenant.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildStatement, LATEST_NAME, LocalCopies, verifyPublication } from "../../src/publication";
import { loadPublicKey } from "../../src/signing";
import { interopPython } from "../helpers/python-venv";
import { codeOf } from "../helpers/errors";
import { directoryStore, makeKey, makeSnapshot, OTHER_TENANT, predicateFor, publishFixture, TENANT } from "../publication/support";

jest.setTimeout(300_000);

const SCRIPT = path.join(__dirname, "dsse_interop.py");
let python: string;
let tmp: string;

beforeAll(() => {
  python = interopPython();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avh-interop-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function py(...args: string[]) {
  return spawnSync(python, [SCRIPT, ...args], { encoding: "utf8" });
}

describe.each(["ed25519", "ecdsa-p256"] as const)("with %s keys", (type) => {
  it("Python verifies our envelope and computes the same keyid; a changed payload fails there too", async () => {
    const key = makeKey(type);
    const store = path.join(tmp, `ours-${type}`);
    await publishFixture(directoryStore(store), key, path.join(tmp, "work"));
    const pub = path.join(tmp, `ours-${type}.pub`);
    fs.writeFileSync(pub, key.publicPem);
    const ok = py("verify", path.join(store, LATEST_NAME), pub);
    expect([ok.status, ok.stdout.trim()]).toEqual([0, key.verifying.keyid]);
    const envelope = JSON.parse(fs.readFileSync(path.join(store, LATEST_NAME), "utf8")) as { payload: string };
    const changed = Buffer.from(envelope.payload, "base64").toString("utf8").replace(TENANT, OTHER_TENANT);
    fs.writeFileSync(path.join(tmp, "tampered.json"), JSON.stringify({ ...envelope, payload: Buffer.from(changed).toString("base64") }));
    expect(py("verify", path.join(tmp, "tampered.json"), pub).status).toBe(1);
  });

  it("our gate accepts an envelope Python signed about our snapshot, and refuses one about another tenant", async () => {
    const dir = path.join(tmp, `theirs-${type}`);
    fs.mkdirSync(path.join(dir, "snapshots"), { recursive: true });
    const keyid = execFileSync(python, [SCRIPT, "keygen", dir, type], { encoding: "utf8" }).trim();
    const pinned = loadPublicKey(fs.readFileSync(path.join(dir, "pub.pem"), "utf8"), "python key");
    expect(pinned.keyid).toBe(keyid);
    const file = path.join(tmp, `snap-${type}.ndjson.gz`);
    const header = await makeSnapshot(file, { devices: 9 });
    const verify = async (tenant: string) => {
      const { sha256, predicate } = await predicateFor(file, header, { tenantId: tenant });
      fs.copyFileSync(file, path.join(dir, "snapshots", `${sha256}.ndjson.gz`));
      fs.writeFileSync(path.join(dir, "statement.json"), JSON.stringify(buildStatement(sha256, predicate)));
      expect(py("sign", path.join(dir, "statement.json"), path.join(dir, "key.pem"), path.join(dir, LATEST_NAME)).status).toBe(0);
      const store = directoryStore(dir);
      return verifyPublication({ store, keys: [makeKey().verifying, pinned], pins: { tenantId: TENANT, cloud: "commercial", maxAgeMs: 3_600_000 }, now: new Date(), copies: new LocalCopies(tmp, store.location), deep: true });
    };
    await expect(verify(TENANT)).resolves.toMatchObject({ keyid, predicate: { deviceCount: 9 } });
    expect(await codeOf(verify(OTHER_TENANT))).toBe("PUBLICATION_TENANT_MISMATCH");
  });
});
