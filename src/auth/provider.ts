/**
 * createTokenProvider: one MSAL ConfidentialClientApplication per connection, for all four credential kinds,
 * talking only to the configured authority through our dispatcher. Tokens are cached until shortly before they
 * expire, and concurrent callers share one acquisition.
 */
import { ConfidentialClientApplication, LogLevel, type Configuration, type NodeAuthOptions } from "@azure/msal-node";
import type { Dispatcher } from "undici";
import type { ConnectionConfig } from "../config/types";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { defaultSleep } from "../http/budget";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry";
import type { ProgressListener } from "../http/types";
import { readFederatedToken, requestGithubOidcToken } from "./assertions";
import { loadCertificate } from "./certificate";
import { createMsalNetworkModule, type MsalNetworkModule } from "./network";
import { translateAuthError } from "./translate";
import type { GetTokenOptions, TokenProvider } from "./types";

export interface CreateTokenProviderOptions {
  connection: ConnectionConfig;
  dispatcher: Dispatcher;
  onProgress?: ProgressListener;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Renew this long before expiry (default 5 minutes), so a long fetch never presents an expiring token. */
  refreshMarginMs?: number;
}

interface CachedToken {
  token: string;
  renewAt: number;
}

export function createTokenProvider(options: CreateTokenProviderOptions): TokenProvider {
  const { connection, dispatcher } = options;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const retry = { policy: { ...DEFAULT_RETRY_POLICY, ...options.retry }, sleep: options.sleep ?? defaultSleep, random: Math.random, now, onProgress: options.onProgress };
  const network = createMsalNetworkModule({ dispatcher, allowedOrigin: new URL(connection.authorityHost).origin, ...retry, retry: options.retry });
  let app: Promise<ConfidentialClientApplication> | undefined;
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  async function acquire(): Promise<string> {
    try {
      // A failed set-up (unreadable certificate) is retried on the next call rather than remembered forever.
      app ??= buildApp(connection, network, retry, dispatcher).catch((error: unknown) => {
        app = undefined;
        throw error;
      });
      const client = await app;
      // Our cache decides freshness; MSAL's would hand back a token inside our renewal margin.
      const result = await client.acquireTokenByClientCredential({ scopes: [connection.scope], skipCache: true });
      if (!result?.accessToken) {
        throw new AvHealthError(ErrorCodes.AUTH_FAILED, "Entra ID answered without an access token: check AZURE_AUTHORITY_HOST points at Entra ID.");
      }
      const issuedAt = now();
      const expiresAt = result.expiresOn ? result.expiresOn.getTime() : issuedAt + 3_600_000;
      // Short-lived tokens renew at half-life so a margin longer than the lifetime never means "always expired".
      cached = { token: result.accessToken, renewAt: expiresAt - Math.min(margin, (expiresAt - issuedAt) / 2) };
      options.onProgress?.({ kind: "token" });
      return result.accessToken;
    } catch (error) {
      throw translateAuthError(error, { credentialKind: connection.credential.kind, underlying: network.takeLastFailure() });
    }
  }

  return {
    async getToken(request: GetTokenOptions = {}): Promise<string> {
      if (!request.forceRefresh && cached && now() < cached.renewAt) return cached.token;
      if (request.forceRefresh) cached = undefined;
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

async function buildApp(
  connection: ConnectionConfig,
  network: MsalNetworkModule,
  retry: Parameters<typeof requestGithubOidcToken>[0]["retry"],
  dispatcher: Dispatcher,
): Promise<ConfidentialClientApplication> {
  const authority = `${connection.authorityHost}/${connection.tenantId}`;
  const host = new URL(connection.authorityHost).host;
  const auth: NodeAuthOptions = {
    clientId: connection.clientId,
    authority,
    // Endpoints given up front: MSAL makes no instance-discovery or OpenID-discovery request to any host.
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
  };
  // Errors thrown inside an assertion callback are recorded so translateAuthError reports them, not MSAL's wrapper.
  const recorded = (fetch: () => Promise<string>) => async (): Promise<string> => {
    try {
      return await fetch();
    } catch (error) {
      if (isAvHealthError(error)) network.recordFailure(error);
      throw error;
    }
  };
  const credential = connection.credential;
  switch (credential.kind) {
    case "secret":
      auth.clientSecret = credential.clientSecret;
      break;
    case "certificate": {
      const certificate = await loadCertificate(credential.certificatePath, credential.certificatePassword);
      auth.clientCertificate = { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey, x5c: certificate.x5c };
      break;
    }
    case "federated-file":
      auth.clientAssertion = recorded(() => readFederatedToken(credential.tokenFile));
      break;
    case "github-oidc":
      auth.clientAssertion = recorded(() =>
        requestGithubOidcToken({ requestUrl: credential.requestUrl, requestToken: credential.requestToken, dispatcher, retry }),
      );
      break;
  }
  const config: Configuration = {
    auth,
    system: {
      networkClient: network,
      // Nothing from MSAL reaches the console; our errors carry what the user needs.
      loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error },
    },
  };
  return new ConfidentialClientApplication(config);
}
