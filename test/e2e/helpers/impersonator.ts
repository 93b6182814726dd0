/**
 * An attacker's forward proxy for the gate attack tests: it answers CONNECT for any host, terminates TLS with a
 * certificate for the impersonated Microsoft hosts (signed by its own CA), and relays the decrypted requests to
 * an emulator serving a healthy fleet, rewriting the emulator's origin in responses to the host asked for, so
 * that MSAL and the API client see a consistent "Microsoft". It records what it could read.
 */
import { once } from "node:events";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import { createCertificates } from "../../../src/emulator/tls";
import type { RunningEmulator } from "../../../src/emulator";

export const IMPERSONATED_HOSTS = ["login.microsoftonline.com", "api.securitycenter.microsoft.com"] as const;

export interface Impersonator {
  /** http://127.0.0.1:<port>, for HTTPS_PROXY. */
  url: string;
  /** The impersonator's CA certificate (PEM file), for the CA-setting attacks. */
  caFile: string;
  /** CONNECT targets, in order. */
  connects: string[];
  /** Every decrypted request line and body the proxy could read. */
  decrypted: string[];
  close(): Promise<void>;
}

export async function startImpersonator(target: RunningEmulator, dir: string): Promise<Impersonator> {
  const certs = await createCertificates({ serverNames: [...IMPERSONATED_HOSTS] });
  const caFile = path.join(dir, "impersonator-ca.pem");
  fs.writeFileSync(caFile, certs.ca.certPem);
  const connects: string[] = [];
  const decrypted: string[] = [];
  const origin = new URL(target.apiUrl).origin;
  const sockets = new Set<Socket>();

  // Handles requests on decrypted tunnels; the Host header says which "Microsoft" host was asked for.
  const relay = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const host = String(req.headers.host ?? "").replace(/:443$/, "");
      decrypted.push(`${req.method} ${host}${req.url}\n${body.toString("utf8")}`);
      const headers = { ...req.headers, host: new URL(origin).host };
      delete headers["accept-encoding"];
      const upstream = https.request(`${origin}${req.url}`, { method: req.method, headers, ca: fs.readFileSync(target.caCertPath) }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8").split(origin).join(`https://${host}`);
          const outHeaders = { ...answer.headers, "content-length": String(Buffer.byteLength(text)) };
          delete outHeaders["transfer-encoding"];
          res.writeHead(answer.statusCode ?? 502, outHeaders).end(text);
        });
      });
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end(body);
    });
  });

  const proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on("connect", (req, socket: Socket) => {
    connects.push(String(req.url));
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    const secure = new tls.TLSSocket(socket, { isServer: true, key: certs.server.privateKeyPem, cert: `${certs.server.certPem}${certs.ca.certPem}` });
    secure.on("error", () => undefined);
    relay.emit("connection", secure);
  });
  proxy.listen(0, "127.0.0.1");
  await once(proxy, "listening");

  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    caFile,
    connects,
    decrypted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      relay.close();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
