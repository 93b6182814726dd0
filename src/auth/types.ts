/** What the HTTP layer needs from auth: a Bearer token for the API, fresh on demand. */
export interface GetTokenOptions {
  /** Skip the cache and ask the authority for a new token (after a 401). */
  forceRefresh?: boolean;
}

export interface TokenProvider {
  getToken(options?: GetTokenOptions): Promise<string>;
}
