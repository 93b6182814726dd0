export { createTokenProvider } from "./provider";
export type { CreateTokenProviderOptions } from "./provider";
export { translateAuthError } from "./translate";
export type { TranslateContext } from "./translate";
export { GITHUB_OIDC_AUDIENCE } from "./assertions";
export type { GetTokenOptions, TokenProvider } from "./types";
