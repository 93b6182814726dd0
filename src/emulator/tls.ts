/**
 * Certificates made at start-up: a CA the client is told to trust, a server certificate for 127.0.0.1/localhost
 * signed by it, and a client certificate for the certificate-credential flow. Keys come from Node's native
 * generateKeyPairSync (forge's pure-JS RSA key generation takes seconds); forge only builds and signs certificates.
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import forge from "node-forge";

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
  privateKey: KeyObject;
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

export function newKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKey,
  };
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
  cert.setExtensions(request.extensions);
  const signer = forge.pki.privateKeyFromPem((request.issuer?.keys ?? request.keys).privateKeyPem);
  cert.sign(signer, forge.md.sha256.create());
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

export function createCertificates(): EmulatorCertificates {
  const caKeys = newKeyPair();
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

  const serverKeys = newKeyPair();
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
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  });

  const clientKeys = newKeyPair();
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
