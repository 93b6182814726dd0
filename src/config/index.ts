export { resolveConnection, hasTenantConfig, describeConnection } from "./resolve";
export type { ResolveConnectionOptions } from "./resolve";
export { CLOUDS, isCloudName } from "./clouds";
export { isLoopbackHost, isAllowedUrl, assertSecureUrl } from "./urls";
export type {
  CloudName,
  CloudProfile,
  ConnectionConfig,
  ConnectionDescription,
  ConnectionOverrides,
  CredentialConfig,
  CredentialKind,
  Env,
} from "./types";
export { stackConfigFromEnv, firstOf, connectionOverrides, STACK_CONFIG_KEYS } from "./stack-config";
export type { StackConfigSource, ConnectionInputs } from "./stack-config";
