import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { request } from "undici";
import { ErrorCodes, isAvHealthError } from "../../src/errors";
import { createDispatcher, trustedCertificates } from "../../src/http/dispatcher";
import { createTokenProvider } from "../../src/auth";
import { connectionFor, selfSignedPem } from "../auth/helpers";
import { startEmulator, type RunningEmulator } from "../../src/emulator";

/** A forward proxy that records CONNECT targets and plain proxied requests, and refuses them all. */
async function startRecordingProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on("connect", (req, socket: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

async function startOrigin(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.end("direct"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("createDispatcher: proxies", () => {
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  beforeAll(async () => {
    proxy = await startRecordingProxy();
    origin = await startOrigin();
  });
  afterAll(() => {
    proxy.server.close();
    origin.server.close();
  });
  beforeEach(() => {
    proxy.seen.length = 0;
  });

  it("tunnels https through HTTPS_PROXY", async () => {
    const dispatcher = createDispatcher({ env: { HTTPS_PROXY: proxy.url } });
    await expect(request("https://api.example.test/api/deviceavinfo", { dispatcher })).rejects.toThrow();
    expect(proxy.seen).toEqual(["CONNECT api.example.test:443"]);
    await dispatcher.close();
  });

  it("token requests take the same proxy", async () => {
    const dispatcher = createDispatcher({ env: { HTTPS_PROXY: proxy.url } });
    const provider = createTokenProvider({ connection: connectionFor({ kind: "secret", clientSecret: "proxy-secret-1" }), dispatcher, retry: { maxAttempts: 1 } });
    const error: unknown = await provider.getToken().catch((e: unknown) => e);
    expect(isAvHealthError(error, ErrorCodes.HTTP_NETWORK)).toBe(true);
    expect(proxy.seen).toEqual(["CONNECT login.microsoftonline.com:443"]);
    await dispatcher.close();
  });

  it("lower-case https_proxy wins, as in curl", async () => {
    const dispatcher = createDispatcher({ env: { https_proxy: proxy.url, HTTPS_PROXY: "http://127.0.0.1:1" } });
    await expect(request("https://api.example.test/", { dispatcher })).rejects.toThrow();
    expect(proxy.seen).toEqual(["CONNECT api.example.test:443"]);
    await dispatcher.close();
  });

  it("NO_PROXY bypasses the proxy for matching hosts", async () => {
    const dispatcher = createDispatcher({ env: { HTTPS_PROXY: proxy.url, NO_PROXY: "example.test" } });
    await expect(request("https://api.example.test/", { dispatcher })).rejects.toThrow();
    expect(proxy.seen).toEqual([]);
    await dispatcher.close();
  });

  it("loopback never goes through the proxy", async () => {
    const dispatcher = createDispatcher({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
    const res = await request(origin.url, { dispatcher });
    expect(await res.body.text()).toBe("direct");
    expect(proxy.seen).toEqual([]);
    await dispatcher.close();
  });

  it("the injected env decides, not process.env", async () => {
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = proxy.url;
    try {
      const dispatcher = createDispatcher({ env: {} });
      await expect(request("https://api.example.test/", { dispatcher })).rejects.toThrow();
      expect(proxy.seen).toEqual([]);
      await dispatcher.close();
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});

describe("createDispatcher: extra CAs", () => {
  const dir = mkdtempSync(join(tmpdir(), "avhealth-ca-"));
  const caPath = join(dir, "ca.pem");
  const otherPath = join(dir, "other.pem");
  const { certPem } = selfSignedPem();
  writeFileSync(caPath, certPem);
  writeFileSync(otherPath, selfSignedPem().certPem);

  it.each<[string, Record<string, string>, string | null, number]>([
    ["none", {}, null, 0],
    ["explicit CA file", {}, caPath, 1],
    ["NODE_EXTRA_CA_CERTS", { NODE_EXTRA_CA_CERTS: otherPath }, null, 1],
    ["both", { NODE_EXTRA_CA_CERTS: otherPath }, caPath, 2],
  ])("%s: Node's roots are kept and the extras added", (_name, env, caFile, extras) => {
    const bundle = trustedCertificates(env, caFile);
    if (extras === 0) {
      expect(bundle).toBeNull();
      return;
    }
    expect(bundle).toHaveLength(rootCertificates.length + extras);
    expect(bundle?.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
  });

  it.each([["missing file", join(dir, "nope.pem")], ["not PEM", join(dir, "garbage.pem")]])("%s → CONFIG_INVALID", (_name, path) => {
    writeFileSync(join(dir, "garbage.pem"), "hello");
    let error: unknown;
    try {
      createDispatcher({ caFile: path, env: {} });
    } catch (e) {
      error = e;
    }
    expect(isAvHealthError(error, ErrorCodes.CONFIG_INVALID)).toBe(true);
  });
});

describe("createDispatcher: a fixed trust from the gate's entrance", () => {
  // Node reads NODE_TLS_REJECT_UNAUTHORIZED from the real process environment at connect time, which jest's
  // sandbox does not expose: the requests run in a child process on the built library, as a gated pack would.
  const script = `
    const { readFileSync } = require("node:fs");
    const { rootCertificates } = require("node:tls");
    const { request } = require("undici");
    const { createDispatcher } = require(${JSON.stringify(join(__dirname, "..", "..", "dist", "src", "http", "dispatcher"))});
    const [url, caPath] = process.argv.slice(1);
    const outcome = async (dispatcher) => {
      try { return String((await request(url, { dispatcher })).statusCode); } catch (e) { return e.code || e.message; } finally { await dispatcher.close(); }
    };
    (async () => {
      const env = { NODE_EXTRA_CA_CERTS: caPath, AVHEALTH_CA_FILE: caPath };
      const results = {
        open: await outcome(createDispatcher({ env: {} })),
        pinnedRoots: await outcome(createDispatcher({ env, trust: { ca: rootCertificates, caFiles: [] } })),
        pinnedWithCa: await outcome(createDispatcher({ env, trust: { ca: [...rootCertificates, readFileSync(caPath, "utf8")], caFiles: [caPath] } })),
      };
      process.stdout.write(JSON.stringify(results));
    })();
  `;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ devices: 1, rateLimit: "off" });
  });
  afterAll(() => emulator.close());

  it("verifies certificates whatever NODE_TLS_REJECT_UNAUTHORIZED says, and trusts exactly the CAs it is given", async () => {
    const url = `${emulator.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=x`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script, url, emulator.caCertPath], {
      env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0", NODE_EXTRA_CA_CERTS: "" },
    });
    expect(JSON.parse(stdout)).toEqual({
      // The switch is in effect in that process: without a fixed trust, the emulator's unknown CA passes.
      open: "200",
      pinnedRoots: "SELF_SIGNED_CERT_IN_CHAIN",
      pinnedWithCa: "200",
    });
  });
});
