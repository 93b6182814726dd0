/** Where and how the client connects: the result of merging Pulumi config over the environment. */

export type CloudName = "commercial" | "gcc" | "gcc-high" | "dod";

/** The three values that must agree for one sovereign cloud: API host, login host and token scope. */
export interface CloudProfile {
  name: CloudName;
  apiUrl: string;
  authorityHost: string;
  scope: string;
}

export type CredentialKind = "secret" | "certificate" | "federated-file" | "github-oidc";

export type CredentialConfig =
  | { kind: "secret"; clientSecret: string }
  | { kind: "certificate"; certificatePath: string; certificatePassword: string | null }
  | { kind: "federated-file"; tokenFile: string }
  | { kind: "github-oidc"; requestUrl: string; requestToken: string };

export interface ConnectionConfig {
  tenantId: string;
  clientId: string;
  credential: CredentialConfig;
  cloud: CloudName;
  /** API base URL without a trailing slash. */
  apiUrl: string;
  /** Login host as an origin (https://login.microsoftonline.com), without a trailing slash. */
  authorityHost: string;
  /** OAuth scope requested for the API token (the resource's `/.default`). */
  scope: string;
  /** Explicit extra CA bundle (AVHEALTH_CA_FILE or the caFile override); NODE_EXTRA_CA_CERTS is read by the dispatcher. */
  caFile: string | null;
}

/** Pulumi stack config (`avhealth:*`) or programmatic options; each set value wins over the environment. */
export interface ConnectionOverrides {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  cloud?: string;
  apiUrl?: string;
  authorityHost?: string;
  caFile?: string;
}

/** process.env-compatible environment; tests pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Secret-free view of a connection, for logs and summaries. */
export interface ConnectionDescription {
  tenantId: string;
  clientId: string;
  credentialKind: CredentialKind;
  cloud: CloudName;
  apiUrl: string;
  authorityHost: string;
}

/**
 * Trust pins of an org-wide gate (a rule file's settings.fleet, README.md, "Enforce across an organization"): the only tenant
 * whose data may pass, its cloud, and extra base URLs (without a trailing slash) allowed beside the cloud's own.
 */
export interface FleetPins {
  readonly tenantId: string;
  readonly cloud: CloudName;
  readonly allowApiUrls: readonly string[];
  readonly allowAuthorityHosts: readonly string[];
  /** settings.fleet.caFiles as absolute paths, for messages. */
  readonly caFiles: readonly string[];
  /** The PEM certificates those files hold, read when the rule file was loaded. */
  readonly caCertificates: readonly string[];
  /** Export method of the pinned fetch. */
  readonly method: "auto" | "json" | "files";
  /** How long the process that fetched a snapshot may evaluate it again (never another process's snapshot). */
  readonly cacheTtlSeconds: number;
  /** settings.fleet.signed: evaluate only publications signed by these keys (signed-snapshots); null = fetch itself. */
  readonly signed: SignedPins | null;
}

/** Where a gate reads signed publications, whose keys it trusts, and how old a publication may be. */
export interface SignedPins {
  /** An absolute directory (relative ones are taken from the rule file's), an https URL or an Azure Blob URL, without credentials. */
  readonly from: string;
  /** PEM public keys (Ed25519 or ECDSA P-256), checked at load time, each with its keyid. */
  readonly keys: readonly { readonly pem: string; readonly keyid: string }[];
  readonly maxAgeMs: number;
}
