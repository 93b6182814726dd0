/**
 * The one place where MSAL and library errors become AvHealthErrors: AUTH_FAILED (the authority refused the
 * credential; AADSTS code kept), AUTH_MISSING_CONFIG (the configuration cannot work), HTTP_NETWORK /
 * HTTP_RETRIES_EXHAUSTED (the authority could not be reached). Messages and causes are redacted.
 */
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import type { CredentialKind } from "../config/types";
import { redact } from "../util/redact";

export interface TranslateContext {
  credentialKind: CredentialKind;
  /** The typed error our network module or assertion callback threw, which MSAL may have replaced. */
  underlying?: AvHealthError;
}

const CREDENTIAL_SETTING: Readonly<Record<CredentialKind, string>> = {
  secret: "AZURE_CLIENT_SECRET (or avhealth:clientSecret)",
  certificate: "the certificate in AZURE_CLIENT_CERTIFICATE_PATH",
  "federated-file": "the federated credential (issuer and subject) for the token in AZURE_FEDERATED_TOKEN_FILE",
  "github-oidc": "the app registration's federated credential for this GitHub repository, branch or environment",
};

/** AADSTS codes whose remedy is specific enough to name. */
const AADSTS_ADVICE: Readonly<Record<string, string>> = {
  AADSTS7000215: "the client secret is wrong: set AZURE_CLIENT_SECRET to the secret's value (not its id)",
  AADSTS7000222: "the client secret has expired: create a new one and update AZURE_CLIENT_SECRET",
  AADSTS700016: "no such application in this tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID",
  AADSTS90002: "no such tenant: check AZURE_TENANT_ID (and AVHEALTH_CLOUD for government clouds)",
  AADSTS900023: "the tenant id is malformed: check AZURE_TENANT_ID",
  AADSTS700027: "the certificate is not registered on the app, or the assertion signature is invalid",
  AADSTS700213: "no federated credential matches this token's subject: check the app's federated credentials",
  AADSTS70021: "no federated credential matches this token's issuer/subject/audience",
  AADSTS700024: "the client assertion is outside its validity window: check the system clock",
};

interface MsalLikeError {
  name: string;
  errorCode: string;
  errorMessage: string;
  subError?: string;
}

function isMsalError(value: unknown): value is MsalLikeError {
  if (!(value instanceof Error)) return false;
  const candidate = value as unknown as { errorCode?: unknown; errorMessage?: unknown };
  return typeof candidate.errorCode === "string" && typeof candidate.errorMessage === "string";
}

export function translateAuthError(error: unknown, context: TranslateContext): AvHealthError {
  if (isAvHealthError(error)) return error;
  if (context.underlying) return context.underlying;
  const cause = sanitizedCause(error);
  if (!isMsalError(error)) {
    return new AvHealthError(ErrorCodes.AUTH_FAILED, `Getting a token failed: ${cause.message}. Check ${CREDENTIAL_SETTING[context.credentialKind]}.`, {
      cause,
      details: { credentialKind: context.credentialKind },
    });
  }
  const aadsts = /AADSTS\d+/.exec(error.errorMessage)?.[0] ?? null;
  const firstLine = redact(error.errorMessage.split(/\r?\n/)[0] ?? "").slice(0, 300);
  const details = { aadsts, msalCode: error.errorCode, credentialKind: context.credentialKind };

  if (error.name === "ClientConfigurationError") {
    return new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `The token library rejected the configuration (${error.errorCode}): ${firstLine}. Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST.`, {
      cause,
      details,
    });
  }
  if (error.errorCode === "network_error" || error.errorCode === "endpoints_resolution_error") {
    return new AvHealthError(ErrorCodes.HTTP_NETWORK, `The login host could not be reached (${error.errorCode}): check AZURE_AUTHORITY_HOST, proxy settings (HTTPS_PROXY, NO_PROXY) and CA settings.`, {
      cause,
      details,
    });
  }
  const advice = (aadsts && AADSTS_ADVICE[aadsts]) ?? `check ${CREDENTIAL_SETTING[context.credentialKind]}`;
  return new AvHealthError(ErrorCodes.AUTH_FAILED, `Entra ID refused the token request (${aadsts ?? error.errorCode}): ${advice}. Server said: ${firstLine}`, {
    cause,
    details,
  });
}

/** A copy of the error with its message redacted: MSAL errors can echo request parameters. */
function sanitizedCause(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const copy = new Error(redact(message).slice(0, 1000));
  copy.name = error instanceof Error ? error.name : "Error";
  return copy;
}
