/** Public types of the Defender API + Entra ID emulator (`avhealth emulator --help`). */

/** One record in the /api/deviceavinfo shape. Values are whatever the fleet holds; the emulator serves them verbatim. */
export type ApiDeviceRecord = Record<string, unknown>;

/** Which devices the emulator serves. `devices` + `seed` generates a fleet; `fleet` serves a given one. */
export interface FleetOptions {
  /** Number of generated devices (default 100 when neither `devices` nor `fleet` is given). */
  devices?: number;
  /** Seed of the generated fleet and of `%P` faults (default "1"). */
  seed?: string | number;
  /** Records in the /api/deviceavinfo shape, or a path to a JSON file holding an array or `{"value": [...]}`. */
  fleet?: ApiDeviceRecord[] | string;
  /** Export parts per RBAC group (default 1). */
  parts?: number;
}

/** A rate-limit window: at most `limit` requests per `windowSeconds`, per client. */
export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

/** Routes the emulator counts, limits and can inject faults into. */
export type LimitedRoute = "token" | "deviceavinfo" | "export" | "blob";
export type CountedRoute = LimitedRoute | "oidc";
/** Every route the request log can name. */
export type LoggedRoute = CountedRoute | "discovery" | "jwks" | "unknown";

/** Per-route windows; a route set to "off" (or an empty list) is unlimited. */
export type RateLimitConfig = Partial<Record<LimitedRoute, RateWindow[] | "off">>;

export interface EmulatorOptions extends FleetOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Fault spec, e.g. "blob:truncate@1,deviceavinfo:429%10" (see faults.ts). */
  faults?: string;
  /**
   * Rate limits: "off", a spec string ("json=30/60s,export=5/60s"), or per-route windows. Routes not named keep
   * the documented defaults: deviceavinfo 30/60s + 1000/3600s, export 5/60s + 20/3600s; token and blob unlimited.
   */
  rateLimit?: string | RateLimitConfig;
  /** Emit @odata.nextLink on /api/deviceavinfo pages (default true; some tenants never send it). */
  nextLink?: boolean;
  /** Roles put into issued access tokens (default Machine.Read.All and Vulnerability.Read.All). */
  roles?: string[];
  /** Where ca.pem, credentials and export parts go. Default: a temp dir removed on close(). */
  dataDir?: string;
  /** Clock for token expiry, SAS expiry, rate-limit windows and generatedTime. Default: the system clock. */
  now?: () => Date;
  /** Time the generated fleet is relative to (default: now() at start-up, to the minute). */
  referenceTime?: Date | string;
  /** Fixed credentials (default: random per start). */
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Called with unexpected handler errors (the request gets a 500); the CLI logs them to stderr. */
  onError?: (error: unknown) => void;
  /** Delay of the `slow` fault in milliseconds (default 2000). */
  slowMs?: number;
  /** Gap between two bytes of the `trickle` fault in milliseconds (default 1000). */
  trickleMs?: number;
}

export interface RequestLogEntry {
  route: LoggedRoute;
  method: string;
  /** Path and query with credential-bearing query parameters (SAS sig...) redacted. */
  path: string;
  status: number;
  hadAuthorization: boolean;
}

export interface RunningEmulator {
  apiUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  /** PEM with a client certificate and its private key; the token endpoint accepts assertions signed with it. */
  clientCertificatePath: string;
  /** GitHub Actions style: GET `${oidcRequestUrl}&audience=api://AzureADTokenExchange` with the request token. */
  oidcRequestUrl: string;
  oidcRequestToken: string;
  /** A file holding a federated JWT (workload identity style) accepted as client_assertion. */
  federatedTokenFile: string;
  dataDir: string;
  requestCounts(): Record<CountedRoute, number>;
  /** The request log, oldest first (the latest 100,000 requests). */
  requests(): RequestLogEntry[];
  /** Swap the fleet at run time; JSON pages reflect it at once, the next export call builds new parts. */
  setFleet(fleet: FleetOptions): void;
  /** Build the export parts of the current fleet now, so that a benchmark does not time their generation. */
  prepareExport(): Promise<void>;
  close(): Promise<void>;
}
