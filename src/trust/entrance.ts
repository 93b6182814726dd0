/**
 * The gate's entrance: from the pack's own rule file, before any I/O, decide where the fleet comes from and
 * whom to trust. Under pins the stack and its environment supply credentials only; every other setting of
 * theirs that touches the source is named here as ignored, so the report can say so.
 */
import type { StackConfigSource } from "../config/stack-config";
import type { Env, FleetPins } from "../config/types";
import { pinnedTlsTrust } from "./tls";
import type { GateSource } from "./types";

const VERIFY = "certificate verification stays on";
const ROOTS = "only Node's bundled roots and the rule file's caFiles are trusted";
const OWN = "the pinned gate always takes its own snapshot";
const PUBLICATION = "a signed gate reads only the pinned publication";
const NO_API = "a signed gate never calls the Defender API";
const NO_CREDENTIAL = "a signed gate needs no Defender credential";

/**
 * Settings a gated stack controls that would change the source or its trust, and why each source ignores it
 * (absent: that source does not name it). Contradictions of the pins themselves, such as another tenant or API
 * URL, are refused by config/pins.ts instead. Listed in the order the report names them.
 */
const IGNORED: ReadonlyArray<{ where: "environment" | "stack config"; name: string; pinned?: string; signed?: string }> = [
  { where: "environment", name: "NODE_TLS_REJECT_UNAUTHORIZED", pinned: VERIFY, signed: VERIFY },
  { where: "environment", name: "NODE_EXTRA_CA_CERTS", pinned: ROOTS, signed: ROOTS },
  { where: "environment", name: "AVHEALTH_CA_FILE", pinned: ROOTS, signed: ROOTS },
  // A signed gate's local copies are verified on every use, so where they are kept decides nothing.
  { where: "environment", name: "AVHEALTH_CACHE_DIR", pinned: "the pinned gate reads no snapshot from disk that it did not fetch itself" },
  { where: "environment", name: "AVHEALTH_FLEET_SOURCE", pinned: OWN, signed: PUBLICATION },
  { where: "stack config", name: "avhealth:caFile", pinned: ROOTS, signed: ROOTS },
  { where: "stack config", name: "avhealth:cacheTtl", pinned: "the rule file's settings.fleet.cacheTtl applies", signed: PUBLICATION },
  { where: "stack config", name: "avhealth:method", pinned: "the rule file's settings.fleet.method applies", signed: PUBLICATION },
  { where: "stack config", name: "avhealth:fleetSource", pinned: OWN, signed: PUBLICATION },
  { where: "environment", name: "AVHEALTH_API_URL", signed: NO_API },
  { where: "environment", name: "AZURE_CLIENT_SECRET", signed: NO_CREDENTIAL },
  { where: "environment", name: "AZURE_FEDERATED_TOKEN_FILE", signed: NO_CREDENTIAL },
  { where: "stack config", name: "avhealth:apiUrl", signed: NO_API },
  { where: "stack config", name: "avhealth:clientSecret", signed: NO_CREDENTIAL },
  { where: "stack config", name: "avhealth:filter", signed: "a publication is always the whole tenant" },
];

export function decideGateSource(pins: FleetPins | null, env: Env, config: StackConfigSource): GateSource {
  if (pins === null) return { kind: "stack" };
  if (pins.signed !== null) return { kind: "signed", pins, signed: pins.signed, tls: pinnedTlsTrust(pins), ignored: ignoredSettings("signed", env, config) };
  return { kind: "pinned-fetch", pins, tls: pinnedTlsTrust(pins), ignored: ignoredSettings("pinned", env, config) };
}

/** "environment NODE_TLS_REJECT_UNAUTHORIZED (certificate verification stays on)", one per setting present; never a value. */
export function ignoredSettings(source: "pinned" | "signed", env: Env, config: StackConfigSource): string[] {
  const ignored: string[] = [];
  for (const setting of IGNORED) {
    const why = setting[source];
    if (why === undefined) continue;
    const value = setting.where === "environment" ? env[setting.name]?.trim() : config.get(setting.name);
    if (value !== undefined && value !== "") ignored.push(`${setting.where} ${setting.name} (${why})`);
  }
  return ignored;
}
