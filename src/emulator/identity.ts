/**
 * The emulator's tenant: ids, the client secret, the signing keys of the token service, the OIDC issuer and the
 * SAS account key, and the credential files a client is pointed at (ca.pem, a client certificate PEM, a
 * federated token file). Everything is fresh per start unless fixed by options.
 */
import { randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { signJwt } from "./jwt";
import { createCertificates, newKeyPair, type EmulatorCertificates, type KeyPairPem } from "./tls";

export const API_AUDIENCE = "https://api.securitycenter.microsoft.com";
export const API_SCOPE = `${API_AUDIENCE}/.default`;
export const FEDERATED_AUDIENCE = "api://AzureADTokenExchange";
export const DEFAULT_ROLES = ["Machine.Read.All", "Vulnerability.Read.All"] as const;
/** The WindowsDefenderATP resource app, as it appears in real tokens' claims. */
export const DEFENDER_RESOURCE_APP_ID = "fc780465-2017-40d4-a0c5-307022471b92";

export interface Identity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Object id of the app's service principal (the `oid` claim). */
  servicePrincipalId: string;
  certs: EmulatorCertificates;
  tokenKey: KeyPairPem & { kid: string };
  oidcKey: KeyPairPem & { kid: string };
  oidcRequestToken: string;
  /** HMAC key of the emulated storage account (signs SAS URLs). */
  sasKey: Buffer;
  files: { caCertPath: string; clientCertificatePath: string; federatedTokenFile: string };
}

export interface IdentityOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Entra client secrets look like "Abc8Q~" + 34 url-safe characters. */
function newClientSecret(): string {
  return `${randomBytes(3).toString("base64url").slice(0, 3)}8Q~${randomBytes(27).toString("base64url").slice(0, 34)}`;
}

export async function createIdentity(options: IdentityOptions, dataDir: string): Promise<Identity> {
  const [certs, tokenKey, oidcKey] = await Promise.all([createCertificates(), newKeyPair(), newKeyPair()]);
  const identity: Identity = {
    tenantId: options.tenantId ?? randomUUID(),
    clientId: options.clientId ?? randomUUID(),
    clientSecret: options.clientSecret ?? newClientSecret(),
    servicePrincipalId: randomUUID(),
    certs,
    tokenKey: { ...tokenKey, kid: randomBytes(12).toString("base64url") },
    oidcKey: { ...oidcKey, kid: randomBytes(12).toString("base64url") },
    oidcRequestToken: randomBytes(32).toString("base64url"),
    sasKey: randomBytes(32),
    files: {
      caCertPath: join(dataDir, "ca.pem"),
      clientCertificatePath: join(dataDir, "client-certificate.pem"),
      federatedTokenFile: join(dataDir, "federated-token.jwt"),
    },
  };
  writeFileSync(identity.files.caCertPath, certs.ca.certPem);
  writeFileSync(identity.files.clientCertificatePath, `${certs.client.certPem}${certs.client.privateKeyPem}`, { mode: 0o600 });
  return identity;
}

/** The issuer of the emulated GitHub Actions / workload-identity OIDC tokens. */
export function oidcIssuer(baseUrl: string): string {
  return `${baseUrl}/oidc`;
}

/** A federated ID token as GitHub Actions or a Kubernetes projected token file would hold. */
export function issueFederatedToken(
  identity: Identity,
  baseUrl: string,
  audience: string,
  nowSeconds: number,
  lifetimeSeconds: number,
): string {
  const key: KeyObject = identity.oidcKey.privateKey;
  return signJwt(
    {
      iss: oidcIssuer(baseUrl),
      sub: "repo:example/avhealth:ref:refs/heads/main",
      aud: audience,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + lifetimeSeconds,
      jti: randomUUID(),
      repository: "example/avhealth",
      ref: "refs/heads/main",
    },
    key,
    { kid: identity.oidcKey.kid },
  );
}

export function writeFederatedTokenFile(identity: Identity, baseUrl: string, nowSeconds: number): void {
  // A day's lifetime: the file is written once at start-up and tests may move the clock forward.
  const token = issueFederatedToken(identity, baseUrl, FEDERATED_AUDIENCE, nowSeconds, 24 * 60 * 60);
  writeFileSync(identity.files.federatedTokenFile, token, { mode: 0o600 });
}
