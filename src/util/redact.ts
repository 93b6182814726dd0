/**
 * Redaction at the edge: anything that may end up in a log line, an error message or a report passes through
 * here. It removes SAS signatures and other credential-bearing query parameters, bearer tokens, JWT-looking
 * strings, and any value registered as a secret at run time (client secrets, certificate passwords).
 */
const registeredSecrets = new Set<string>();

/** Remember a secret value so that redact() removes it wherever it appears. Values under 6 chars are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) registeredSecrets.add(value);
}

const SECRET_QUERY = /([?&](?:sig|signature|client_secret|client_assertion|access_token|code|token|skoid|sktid|skt|ske|sks|skv)=)[^&#\s"']*/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

export function redact(text: string): string {
  let out = text.replace(PEM, "[REDACTED PRIVATE KEY]").replace(JWT, "[REDACTED JWT]").replace(BEARER, "$1[REDACTED]");
  out = out.replace(SECRET_QUERY, "$1REDACTED");
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

/** A URL safe to print: origin and path only, never the query (SAS tokens live there). */
export function safeUrl(url: string | URL): string {
  try {
    const parsed = typeof url === "string" ? new URL(url) : url;
    return `${parsed.origin}${parsed.pathname}${parsed.search ? "?[query redacted]" : ""}`;
  } catch {
    return "[unparseable URL]";
  }
}
