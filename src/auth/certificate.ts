/**
 * The client certificate: a PEM file holding the certificate (chain) and its private key, optionally encrypted
 * (AZURE_CLIENT_CERTIFICATE_PASSWORD). MSAL needs the key unencrypted in memory, the SHA-256 thumbprint, and the
 * chain for the x5c header (which lets Entra accept subject-name/issuer-registered certificates).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { AvHealthError, ErrorCodes } from "../errors";
import { pemCertificates } from "../util/pem";

export interface LoadedCertificate {
  /** PKCS#8 PEM, unencrypted; lives only in memory. */
  privateKey: string;
  thumbprintSha256: string;
  /** The certificate chain as PEM, leaf first, for the x5c header. */
  x5c: string;
}

const SETTING = "AZURE_CLIENT_CERTIFICATE_PATH";

export async function loadCertificate(path: string, password: string | null): Promise<LoadedCertificate> {
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `${SETTING} names ${path}, which cannot be read: point it at a PEM file holding the certificate and its private key.`, {
      cause,
      details: { setting: SETTING },
    });
  }
  const certificates = pemCertificates(pem);
  const keyPem = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]*?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (certificates.length === 0 || keyPem === undefined) {
    const missing = certificates.length === 0 ? "a certificate (BEGIN CERTIFICATE)" : "a private key (BEGIN PRIVATE KEY)";
    throw new AvHealthError(
      ErrorCodes.AUTH_MISSING_CONFIG,
      `${SETTING} names ${path}, which holds no ${missing}. Use one PEM file with both; from a .pfx: \`openssl pkcs12 -in cert.pfx -out cert.pem -nodes\`.`,
      { details: { setting: SETTING } },
    );
  }

  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, format: "pem", passphrase: password ?? undefined });
  } catch {
    // No cause attached: OpenSSL's message adds nothing a user can act on beyond the hint.
    const hint = password === null ? "if the key is encrypted, set AZURE_CLIENT_CERTIFICATE_PASSWORD" : "check AZURE_CLIENT_CERTIFICATE_PASSWORD";
    throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `The private key in ${path} cannot be decrypted or parsed: ${hint}.`, {
      details: { setting: "AZURE_CLIENT_CERTIFICATE_PASSWORD" },
    });
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `The private key in ${path} is ${key.asymmetricKeyType ?? "not RSA"}: Entra ID client certificates must use RSA keys.`, {
      details: { setting: SETTING },
    });
  }

  const leaf = findLeaf(certificates, key, path);
  const chain = [leaf, ...certificates.filter((c) => c !== leaf)];
  return {
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
    thumbprintSha256: new X509Certificate(leaf).fingerprint256.replace(/:/g, "").toLowerCase(),
    x5c: chain.join("\n"),
  };
}

/** The certificate whose public key matches the private key: files from some tools put the CA first. */
function findLeaf(certificates: readonly string[], key: KeyObject, path: string): string {
  for (const pem of certificates) {
    try {
      if (new X509Certificate(pem).checkPrivateKey(key)) return pem;
    } catch {
      // An unparseable extra certificate in the chain is not fatal if another one matches.
    }
  }
  throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `No certificate in ${path} matches its private key: export the certificate together with its own key.`, {
    details: { setting: SETTING },
  });
}
