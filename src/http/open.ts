/**
 * openApiClient: configuration → dispatcher → token provider → API client, the one call the export methods,
 * the CLI and the Pulumi provider make. Nothing is sent until the first request.
 */
import { createTokenProvider } from "../auth/provider";
import { resolveConnection } from "../config/resolve";
import type { ConnectionOverrides, Env } from "../config/types";
import type { BudgetOption, RateBudget } from "./budget";
import { createApiClient } from "./client";
import { createDispatcher } from "./dispatcher";
import type { RetryPolicy } from "./retry";
import type { ApiClient, ProgressListener } from "./types";
import type { TlsTrust } from "../trust/types";

export interface OpenApiClientOptions {
  /** Pulumi stack config (avhealth:*) or programmatic values; each wins over the environment. */
  overrides?: ConnectionOverrides;
  env?: Env;
  onProgress?: ProgressListener;
  /** Rate limits per route, "off" (emulator with limits off, tests), or a budget shared across clients. */
  budget?: BudgetOption | RateBudget;
  retry?: Partial<RetryPolicy>;
  /** A fixed TLS trust from the gate's entrance; without it, the connection's caFile and the environment apply. */
  tls?: TlsTrust;
}

export async function openApiClient(options: OpenApiClientOptions = {}): Promise<ApiClient> {
  const env = options.env ?? process.env;
  const connection = resolveConnection({ env, overrides: options.overrides });
  const dispatcher = options.tls ? createDispatcher({ trust: options.tls, env }) : createDispatcher({ caFile: connection.caFile, env });
  const tokenProvider = createTokenProvider({ connection, dispatcher, onProgress: options.onProgress, retry: options.retry });
  return createApiClient({
    connection,
    tokenProvider,
    dispatcher,
    budget: options.budget,
    retry: options.retry,
    onProgress: options.onProgress,
  });
}
