/**
 * The gate's entrance: from the pack's own rule file, before any I/O, decide where the fleet comes from and
 * whom to trust. Under pins the stack and its environment supply credentials only; every other setting of
 * theirs that touches the source is named here as ignored, so the report can say so.
 */
import type { StackConfigSource } from "../config/stack-config";
import type { Env, FleetPins } from "../config/types";
import { pinnedTlsTrust } from "./tls";
import type { GateSource } from "./types";

/**
 * Settings a gated stack controls that would change the source or its trust, and that a pinned gate ignores
 * (the pins' own contradictions, such as another tenant or API URL, are refused by config/pins.ts instead).
 */
const IGNORED_ENV = [
  ["NODE_TLS_REJECT_UNAUTHORIZED", "certificate verification stays on"],
  ["NODE_EXTRA_CA_CERTS", "only Node's bundled roots and the rule file's caFiles are trusted"],
  ["AVHEALTH_CA_FILE", "only Node's bundled roots and the rule file's caFiles are trusted"],
  ["AVHEALTH_CACHE_DIR", "the pinned gate reads no snapshot from disk that it did not fetch itself"],
  ["AVHEALTH_FLEET_SOURCE", "the pinned gate always takes its own snapshot"],
] as const;

const IGNORED_CONFIG = [
  ["avhealth:caFile", "only Node's bundled roots and the rule file's caFiles are trusted"],
  ["avhealth:cacheTtl", "the rule file's settings.fleet.cacheTtl applies"],
  ["avhealth:method", "the rule file's settings.fleet.method applies"],
  ["avhealth:fleetSource", "the pinned gate always takes its own snapshot"],
] as const;

/** Under signed pins the Defender connection settings are not used at all; naming them says so. */
const IGNORED_WHEN_SIGNED_ENV = [
  ["AVHEALTH_API_URL", "a signed gate never calls the Defender API"],
  ["AZURE_CLIENT_SECRET", "a signed gate needs no Defender credential"],
  ["AZURE_FEDERATED_TOKEN_FILE", "a signed gate needs no Defender credential"],
] as const;

const IGNORED_WHEN_SIGNED_CONFIG = [
  ["avhealth:apiUrl", "a signed gate never calls the Defender API"],
  ["avhealth:clientSecret", "a signed gate needs no Defender credential"],
  ["avhealth:filter", "a publication is always the whole tenant"],
] as const;

export function decideGateSource(pins: FleetPins | null, env: Env, config: StackConfigSource): GateSource {
  if (pins === null) return { kind: "stack" };
  if (pins.signed !== null) {
    // The cache directory only holds copies that are verified on every use; the fetch settings have nothing to tune.
    const ignored = ignoredSettings(env, config)
      .filter((text) => !text.includes("AVHEALTH_CACHE_DIR"))
      .map((text) => (/FLEET_SOURCE|fleetSource|cacheTtl|avhealth:method/.test(text) ? text.replace(/\(.*\)$/, "(a signed gate reads only the pinned publication)") : text));
    for (const [name, why] of IGNORED_WHEN_SIGNED_ENV) if (env[name] !== undefined && env[name]?.trim() !== "") ignored.push(`environment ${name} (${why})`);
    for (const [key, why] of IGNORED_WHEN_SIGNED_CONFIG) if (config.get(key) !== undefined) ignored.push(`stack config ${key} (${why})`);
    return { kind: "signed", pins, signed: pins.signed, tls: pinnedTlsTrust(pins), ignored };
  }
  return { kind: "pinned-fetch", pins, tls: pinnedTlsTrust(pins), ignored: ignoredSettings(env, config) };
}

/** "environment NODE_TLS_REJECT_UNAUTHORIZED (certificate verification stays on)", one per setting present. */
export function ignoredSettings(env: Env, config: StackConfigSource): string[] {
  const ignored: string[] = [];
  for (const [name, why] of IGNORED_ENV) if (env[name] !== undefined && env[name]?.trim() !== "") ignored.push(`environment ${name} (${why})`);
  for (const [key, why] of IGNORED_CONFIG) if (config.get(key) !== undefined) ignored.push(`stack config ${key} (${why})`);
  return ignored;
}
