/**
 * Certificates made at start-up: a CA the client is told to trust, a server certificate for 127.0.0.1/localhost
 * signed by it, and a client certificate for the certificate-credential flow. Keys come from Node's native
 * generateKeyPairSync (forge's pure-JS RSA key generation takes seconds); forge only builds and signs certificates.
 */
import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface IssuedCert extends KeyPairPem {
  certPem: string;
  /** SHA-1 and SHA-256 of the DER certificate, base64url: what MSAL puts in x5t / x5t#S256. */
  x5t: string;
  x5tS256: string;
}

export interface EmulatorCertificates {
  ca: IssuedCert;
  server: IssuedCert;
  client: IssuedCert;
}

const generateRsa = promisify(generateKeyPair);

/** Async, so several keys are made in parallel on libuv's thread pool. */
export async function newKeyPair(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateRsa("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKey,
    publicKey,
  };
}

/** forge exports getTBSCertificate at run time; @types/node-forge does not declare it. */
interface ForgeTbs {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

interface CertRequest {
  commonName: string;
  keys: KeyPairPem;
  issuer?: { cert: forge.pki.Certificate; keys: KeyPairPem };
  extensions: object[];
  validDays: number;
}

function buildCert(request: CertRequest): { cert: forge.pki.Certificate; pem: string } {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(request.keys.publicKeyPem);
  // A positive serial: the high bit of the first byte cleared so that DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString("hex");
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + request.validDays * 24 * 60 * 60 * 1000);
  const subject = [{ name: "commonName", value: request.commonName }, { name: "organizationName", value: "avhealth emulator" }];
  cert.setSubject(subject);
  cert.setIssuer(request.issuer ? request.issuer.cert.subject.attributes : subject);
  const extensions = request.issuer
    ? [...request.extensions, { name: "authorityKeyIdentifier", keyIdentifier: request.issuer.cert.generateSubjectKeyIdentifier().getBytes() }]
    : request.extensions;
  cert.setExtensions(extensions);
  // What forge's cert.sign does, with the RSA signature from node:crypto (forge's pure-JS one is ~100x slower).
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption ?? "1.2.840.113549.1.1.11";
  cert.tbsCertificate = (forge.pki as unknown as ForgeTbs).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, (request.issuer?.keys ?? request.keys).privateKey).toString("binary");
  return { cert, pem: forge.pki.certificateToPem(cert) };
}

function issued(keys: KeyPairPem, cert: forge.pki.Certificate, pem: string): IssuedCert {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  return {
    ...keys,
    certPem: pem,
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}

/** `serverNames`: DNS names the server certificate also covers (tests impersonating a host use it). */
export async function createCertificates(options: { serverNames?: readonly string[] } = {}): Promise<EmulatorCertificates> {
  const [caKeys, serverKeys, clientKeys] = await Promise.all([newKeyPair(), newKeyPair(), newKeyPair()]);
  const ca = buildCert({
    commonName: "avhealth emulator CA",
    keys: caKeys,
    validDays: 30,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
  });
  const issuer = { cert: ca.cert, keys: caKeys };

  const server = buildCert({
    commonName: "127.0.0.1",
    keys: serverKeys,
    issuer,
    validDays: 30,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      // type 7 = IP address, type 2 = DNS name
      {
        name: "subjectAltName",
        altNames: [{ type: 7, ip: "127.0.0.1" }, ...["localhost", ...(options.serverNames ?? [])].map((value) => ({ type: 2, value }))],
      },
    ],
  });

  const client = buildCert({
    commonName: "avhealth-emulator-client",
    keys: clientKeys,
    issuer,
    validDays: 30,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", clientAuth: true },
    ],
  });

  return {
    ca: issued(caKeys, ca.cert, ca.pem),
    server: issued(serverKeys, server.cert, server.pem),
    client: issued(clientKeys, client.cert, client.pem),
  };
}
