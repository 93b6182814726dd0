/**
 * A plain https location (http on loopback here) read with GET: the query credential is sent but never printed,
 * If-None-Match gives 304 and the local copy is used, statuses map to codes, a closed port is STORE_UNREACHABLE,
 * and writing is refused.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCopies, verifyPublication } from "../../src/publication";
import { openStore, parseLocation } from "../../src/store";
import { codeOf } from "../helpers/errors";
import { directoryStore, makeKey, publishFixture, TENANT } from "../publication/support";

const key = makeKey();
const SAS = "sv=2024-01-01&sp=r&sig=c2FzLWNhbmFyeS1zaWduYXR1cmU%3D";
let tmp: string;
let server: http.Server;
let base: string;
const requests: Array<{ url: string; ifNoneMatch: string | undefined }> = [];
let status: number | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avh-https-"));
  await publishFixture(directoryStore(path.join(tmp, "site", "prod")), key, path.join(tmp, "work"));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ url: req.url ?? "", ifNoneMatch: req.headers["if-none-match"] });
    if (status !== undefined) return void res.writeHead(status).end();
    if (url.search !== `?${SAS}`) return void res.writeHead(403).end();
    const file = path.join(tmp, "site", ...url.pathname.split("/").filter(Boolean));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    const etag = `"${fs.statSync(file).mtimeMs}"`;
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304).end();
    res.writeHead(200, { etag }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  requests.length = 0;
  status = undefined;
});

function verify(sas: string | undefined, copies = new LocalCopies(path.join(tmp, "cache"), base)) {
  const store = openStore(parseLocation(base, tmp), { credentials: sas === undefined ? {} : { sas } });
  return verifyPublication({ store, keys: [key.verifying], pins: { tenantId: TENANT, cloud: "commercial", maxAgeMs: 3_600_000 }, now: new Date(), copies });
}

it("reads with the SAS; the envelope is read afresh each time, the kept snapshot file revalidated with If-None-Match", async () => {
  const copies = new LocalCopies(path.join(tmp, "cache-1"), base);
  await verify(SAS, copies);
  await verify(`?${SAS}`, copies);
  expect(requests.map((r) => [r.url.split("?")[0], r.ifNoneMatch !== undefined])).toEqual([
    ["/prod/latest.dsse.json", false],
    [expect.stringMatching(/^\/prod\/snapshots\/[0-9a-f]{64}\.ndjson\.gz$/), false],
    ["/prod/latest.dsse.json", false],
    [expect.stringMatching(/^\/prod\/snapshots\//), true],
  ]);
  expect(requests.every((r) => r.url.endsWith(`?${SAS}`))).toBe(true);
});

it.each([
  [403, "STORE_ACCESS_DENIED"],
  [404, "PUBLICATION_NOT_FOUND"],
  [503, "STORE_UNREACHABLE"],
])("maps HTTP %i to %s without printing the SAS", async (code, expected) => {
  status = code;
  const error = await verify(SAS).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(error?.code).toBe(expected);
  expect(error?.message).not.toContain("c2FzLWNhbmFyeS1zaWduYXR1cmU");
});

it("is STORE_UNREACHABLE when nothing listens, and read only", async () => {
  const store = openStore(parseLocation("http://127.0.0.1:9/prod", tmp), { credentials: { sas: SAS } });
  const copies = new LocalCopies(path.join(tmp, "cache-2"), store.location);
  const error = await verifyPublication({ store, keys: [key.verifying], pins: { tenantId: TENANT, cloud: "commercial", maxAgeMs: 1 }, now: new Date(), copies }).then(
    () => ({ code: "resolved", message: "" }),
    (e: Error & { code?: string }) => e,
  );
  expect(error.code).toBe("STORE_UNREACHABLE");
  expect(error.message).not.toContain("c2FzLWNhbmFyeS1zaWduYXR1cmU");
  expect(await codeOf(store.write("x", { body: Buffer.from("") }))).toBe("STORE_READ_ONLY");
});

it("refuses clear-text http off loopback", () => {
  expect(() => parseLocation("http://store.example.com/prod", tmp)).toThrow(expect.objectContaining({ code: "INSECURE_URL" }) as Error);
});

describe("over real TLS", () => {
  it("verifies the certificate: trusted through AVHEALTH_CA_FILE in the CLI, refused without it", async () => {
    const { createCertificates } = await import("../../src/emulator/tls");
    const https = await import("node:https");
    const { runAvhealth } = await import("../cli/run-cli");
    const certs = await createCertificates();
    const served = path.join(tmp, "site", "prod");
    const tls = https.createServer({ key: certs.server.privateKeyPem, cert: certs.server.certPem }, (req, res) => {
      const file = path.join(served, ...new URL(req.url ?? "/", "https://x").pathname.split("/").filter(Boolean).slice(1));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const ca = path.join(tmp, "ca.pem");
      fs.writeFileSync(ca, certs.ca.certPem);
      const pub = path.join(tmp, "tls.pub");
      fs.writeFileSync(pub, key.publicPem);
      const location = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/prod`;
      const args = ["verify", location, "--key", pub, "--tenant", TENANT];
      const trusted = await runAvhealth(args, { cwd: tmp, env: { AVHEALTH_CA_FILE: ca, AVHEALTH_CACHE_DIR: path.join(tmp, "tls-cache") } });
      expect(trusted.code).toBe(0);
      const untrusted = await runAvhealth(args, { cwd: tmp, env: { AVHEALTH_CACHE_DIR: path.join(tmp, "tls-cache-2"), NODE_TLS_REJECT_UNAUTHORIZED: "0" } });
      expect(untrusted.code).toBe(3);
      expect(untrusted.stderr).toContain("[STORE_UNREACHABLE]");
    } finally {
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});
