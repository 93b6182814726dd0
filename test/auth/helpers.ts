/** Test helpers: a self-signed client certificate and a token-endpoint mock that records what MSAL sends. */
import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import { MockAgent } from "undici";
import type { ConnectionConfig, CredentialConfig } from "../../src/config/types";

export const TENANT = "11111111-1111-1111-1111-111111111111";
export const CLIENT = "22222222-2222-2222-2222-222222222222";
export const AUTHORITY = "https://login.microsoftonline.com";

export function connectionFor(credential: CredentialConfig, extra: Partial<ConnectionConfig> = {}): ConnectionConfig {
  return {
    tenantId: TENANT,
    clientId: CLIENT,
    credential,
    cloud: "commercial",
    apiUrl: "https://api.securitycenter.microsoft.com",
    authorityHost: AUTHORITY,
    scope: "https://api.securitycenter.microsoft.com/.default",
    caFile: null,
    ...extra,
  };
}

/** A PEM holding a self-signed certificate and its key (encrypted with `password` when given). */
export function selfSignedPem(password?: string): { pem: string; certPem: string; publicKeyPem: string } {
  const { privateKey: keyObject, publicKey: publicKeyObject } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicKey = publicKeyObject.export({ type: "spki", format: "pem" }).toString();
  const plainKey = forge.pki.privateKeyFromPem(keyObject.export({ type: "pkcs1", format: "pem" }).toString());
  const privateKey = password
    ? keyObject.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: password }).toString()
    : keyObject.export({ type: "pkcs8", format: "pem" }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: "commonName", value: "avhealth-test-client" }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(plainKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { pem: `${certPem}${privateKey}`, certPem, publicKeyPem: publicKey };
}

export interface TokenCall {
  path: string;
  form: URLSearchParams;
}

/** Intercept `times` token requests on `origin`; each answers with `answer(callIndex)` (default: a valid token). */
export function mockTokenEndpoint(
  agent: MockAgent,
  calls: TokenCall[],
  options: { origin?: string; tenant?: string; times?: number; answer?: (n: number) => { statusCode: number; data: object | string; headers?: Record<string, string> } } = {},
): void {
  const origin = options.origin ?? AUTHORITY;
  agent
    .get(origin)
    .intercept({ path: (p: string) => p.split("?")[0] === `/${options.tenant ?? TENANT}/oauth2/v2.0/token`, method: "POST" })
    .reply<object>((req) => {
      calls.push({ path: req.path, form: new URLSearchParams(String(req.body)) });
      const answer = options.answer?.(calls.length) ?? { statusCode: 200, data: tokenResponse(`token-${calls.length}`) };
      return { statusCode: answer.statusCode, data: answer.data, responseOptions: { headers: { "content-type": "application/json", ...answer.headers } } };
    })
    .times(options.times ?? 1);
}

export function tokenResponse(accessToken: string, expiresIn = 3599): Record<string, unknown> {
  return { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken };
}

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function decodeJwtPart(jwt: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[index] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}
