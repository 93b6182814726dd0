/**
 * Client assertions for the two federated flows. Both are fetched at each token acquisition, never cached here:
 * a workload-identity token file is rotated by the platform, and a GitHub OIDC token lives minutes.
 */
import { readFile } from "node:fs/promises";
import { request, type Dispatcher } from "undici";
import { AvHealthError, ErrorCodes } from "../errors";
import { parseErrorBody } from "../http/api-errors";
import { BODY_DEADLINE_MS, MAX_AUTH_BODY_BYTES, readBody } from "../http/body";
import type { HeaderBag } from "../http/retry";
import { networkFailure, runWithRetries, type AttemptOutcome, type RetryContext } from "../http/retrying";
import { safeUrl } from "../util/redact";

/** The audience Entra expects in a federated assertion from GitHub (and the Azure login action uses). */
export const GITHUB_OIDC_AUDIENCE = "api://AzureADTokenExchange";

export async function readFederatedToken(tokenFile: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(tokenFile, "utf8");
  } catch (cause) {
    throw new AvHealthError(
      ErrorCodes.AUTH_MISSING_CONFIG,
      `AZURE_FEDERATED_TOKEN_FILE names ${tokenFile}, which cannot be read: check the workload identity volume mount, or unset the variable to use another credential.`,
      { cause, details: { setting: "AZURE_FEDERATED_TOKEN_FILE" } },
    );
  }
  const token = text.trim();
  if (token === "") {
    throw new AvHealthError(ErrorCodes.AUTH_MISSING_CONFIG, `AZURE_FEDERATED_TOKEN_FILE names ${tokenFile}, which is empty: the platform has not written the token yet.`, {
      details: { setting: "AZURE_FEDERATED_TOKEN_FILE" },
    });
  }
  return token;
}

export interface GithubOidcOptions {
  requestUrl: string;
  requestToken: string;
  dispatcher: Dispatcher;
  retry: Omit<RetryContext, "route" | "what">;
}

/** GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=... with the request token; the answer's `value` is the assertion. */
export async function requestGithubOidcToken(options: GithubOidcOptions): Promise<string> {
  const url = new URL(options.requestUrl);
  url.searchParams.set("audience", GITHUB_OIDC_AUDIENCE);
  const what = `GET ${safeUrl(url)} (GitHub OIDC token)`;
  const attempt = async (): Promise<AttemptOutcome<string>> => {
    let status: number;
    let headers: HeaderBag;
    let text: string;
    try {
      const response = await request(url, {
        dispatcher: options.dispatcher,
        method: "GET",
        headers: { authorization: `Bearer ${options.requestToken}`, accept: "application/json; api-version=2.0" },
      });
      status = response.statusCode;
      headers = response.headers as HeaderBag;
      // Cut at the cap: a body that large holds no usable token, and fails to parse below.
      const read = await readBody(response.body, headers, { limit: MAX_AUTH_BODY_BYTES, overLimit: "truncate", deadlineMs: BODY_DEADLINE_MS, what });
      text = read === "too-large" ? "" : read;
    } catch (error) {
      return { failed: networkFailure(error, what) };
    }
    if (status === 200) return { ok: parseValue(text, what) };
    const info = parseErrorBody(text, headers);
    const error = new AvHealthError(
      ErrorCodes.AUTH_FAILED,
      `${what} answered HTTP ${status}${info.message ? `: ${info.message}` : ""}. Give the job \`permissions: id-token: write\`; the request token is valid only inside the running job.`,
      { details: { status } },
    );
    return { failed: { status, headers, error } };
  };
  return runWithRetries(attempt, { ...options.retry, route: "token", what });
}

function parseValue(text: string, what: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const value = typeof parsed === "object" && parsed !== null ? (parsed as { value?: unknown }).value : undefined;
  if (typeof value !== "string" || value === "") {
    throw new AvHealthError(ErrorCodes.AUTH_FAILED, `${what} answered without a token in "value": check ACTIONS_ID_TOKEN_REQUEST_URL.`);
  }
  return value;
}
