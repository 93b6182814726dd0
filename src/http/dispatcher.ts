/**
 * The one undici dispatcher that API calls, blob downloads and MSAL's token requests share, so a corporate proxy
 * (HTTPS_PROXY / HTTP_PROXY / NO_PROXY) and a TLS-inspecting proxy's CA work the same for all of them.
 */
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { EnvHttpProxyAgent, type Dispatcher } from "undici";
import { AvHealthError, ErrorCodes } from "../errors";
import type { Env } from "../config/types";
import type { TlsTrust } from "../trust/types";
import { pemCertificates } from "../util/pem";

export interface CreateDispatcherOptions {
  /** An extra CA bundle (PEM) to trust besides Node's roots: AVHEALTH_CA_FILE or the caFile option. */
  caFile?: string | null;
  /**
   * A fixed trust decided at the gate's entrance: exactly these CAs, verification always on. The environment's
   * CA settings and NODE_TLS_REJECT_UNAUTHORIZED are then not consulted; caFile must be null.
   */
  trust?: TlsTrust;
  env?: Env;
  /** Milliseconds to wait for response headers, and between body chunks. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

// Loopback never goes through a proxy: a corporate proxy cannot reach this machine's emulator.
const LOOPBACK_NO_PROXY = "localhost,127.0.0.1,[::1]";

export function createDispatcher(options: CreateDispatcherOptions = {}): Dispatcher {
  const env = options.env ?? process.env;
  // One secure context for every connection: a `ca` list in the connect options would make each TLS
  // connection parse Node's ~140 roots plus the extras again (a quarter to half a CPU second per fetch).
  let tls: { secureContext?: SecureContext; rejectUnauthorized?: boolean };
  if (options.trust) {
    // Explicit, so that NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off.
    tls = { secureContext: secureContextFor([...options.trust.ca]), rejectUnauthorized: true };
  } else {
    const ca = trustedCertificates(env, options.caFile ?? null);
    tls = ca ? { secureContext: secureContextFor(ca) } : {};
  }
  const userNoProxy = pick(env, "no_proxy", "NO_PROXY");
  return new EnvHttpProxyAgent({
    // Explicit values (empty string = none) so the injected env, not process.env, decides.
    httpProxy: pick(env, "http_proxy", "HTTP_PROXY") ?? "",
    httpsProxy: pick(env, "https_proxy", "HTTPS_PROXY") ?? "",
    noProxy: userNoProxy ? `${userNoProxy},${LOOPBACK_NO_PROXY}` : LOOPBACK_NO_PROXY,
    connect: tls,
    requestTls: tls,
    proxyTls: tls,
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.bodyTimeoutMs ?? 120_000,
  });
}

/**
 * Node's bundled roots plus the extra CAs, or null when there are none (Node's defaults then apply). Extra CAs
 * are added, never substituted: Microsoft's hosts must stay trusted when a proxy CA is configured.
 */
export function trustedCertificates(env: Env, caFile: string | null): string[] | null {
  const extra = [...readCaFile(env.NODE_EXTRA_CA_CERTS, "NODE_EXTRA_CA_CERTS"), ...readCaFile(caFile ?? undefined, "AVHEALTH_CA_FILE (or the caFile option)")];
  return extra.length > 0 ? [...rootCertificates, ...extra] : null;
}

const contexts = new Map<string, SecureContext>();

/** The secure context trusting `ca`, built once per distinct CA list in this process. */
function secureContextFor(ca: string[]): SecureContext {
  const key = ca.join("\n");
  let context = contexts.get(key);
  if (context === undefined) {
    context = createSecureContext({ ca });
    contexts.set(key, context);
  }
  return context;
}

/** Lower-case first, as curl and undici do. */
function pick(env: Env, lower: string, upper: string): string | undefined {
  const value = env[lower] ?? env[upper];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The PEM certificates of a CA file named by `setting`; CONFIG_INVALID, naming it, when unreadable or empty. */
export function readCaFile(path: string | undefined, setting: string): string[] {
  if (path === undefined || path.trim() === "") return [];
  let text: string;
  try {
    text = readFileSync(path.trim(), "utf8");
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} names ${path}, which cannot be read: point it at a PEM file of CA certificates.`, {
      cause,
      details: { setting },
    });
  }
  const pems = pemCertificates(text);
  if (pems.length === 0) {
    throw new AvHealthError(ErrorCodes.CONFIG_INVALID, `${setting} names ${path}, which holds no PEM certificate: export the CA as PEM (BEGIN CERTIFICATE).`, {
      details: { setting },
    });
  }
  return pems;
}
