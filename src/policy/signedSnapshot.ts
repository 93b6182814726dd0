/**
 * The gate's fleet under settings.fleet.signed: the newest signed publication at the pinned location, verified
 * on every use (signature by a pinned key, statement, tenant, cloud, completeness, freshness, file digests) on
 * the bytes that are then evaluated. No Defender API call and no Defender credential. The stack supplies at most
 * a read credential for the store (AVHEALTH_STORE_SAS, the stack secret avhealth:storeSas, a connection string
 * or the ambient Azure identity), which can grant access but cannot change what is accepted.
 */
import type { TokenCredential } from "@azure/core-auth";
import { stackConfigFromEnv, type StackConfigSource } from "../config/stack-config";
import type { FleetPins, SignedPins } from "../config/types";
import { formatAge, LocalCopies, verifyPublication, type VerifiedPublication } from "../publication";
import { loadPublicKey } from "../signing";
import { openStore, parseLocation, type StoreCredentials } from "../store";
import { registerSecret } from "../util/redact";
import { failedRef, knownRef, type OwnSnapshotTaker } from "./ownSnapshot";
import type { Env, FleetRef } from "./types";
import { nonBlank } from "../util/non-blank";

export interface SignedSnapshotOptions {
  /** The rule file's pins; `signed` must be set. */
  pins: FleetPins;
  env: Env;
  /** Stack config, read for avhealth:storeSas only (default: from PULUMI_CONFIG in env). */
  config?: StackConfigSource;
  /** Where downloaded copies are kept between runs (re-verified on every use). */
  cacheDir: string;
  /** CA certificates (PEM) trusted for an https store beside Node's roots: the rule file's caFiles. */
  ca?: readonly string[];
  clock?: () => Date;
  log?: (line: string) => void;
  /** Tests inject an Azure token credential and short store retries. */
  tokenCredential?: TokenCredential;
  retry?: { maxTries: number; retryDelayInMs: number };
}

export function createSignedSnapshotTaker(options: SignedSnapshotOptions): OwnSnapshotTaker {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const signed = options.pins.signed as SignedPins;
  const { tenantId, cloud } = options.pins;

  return async (stackUrn) => {
    let where = signed.from;
    try {
      const location = parseLocation(signed.from, "/", "settings.fleet.signed.from");
      const store = openStore(location, { credentials: credentials(options), retry: options.retry });
      where = store.location;
      const keys = signed.keys.map((key, i) => loadPublicKey(key.pem, `settings.fleet.signed.keys[${i}]`));
      log(`avhealth: reading the signed publication of tenant ${tenantId} from ${where} (no Defender API call)`);
      const verified = await verifyPublication({
        store,
        keys,
        pins: { tenantId, cloud, maxAgeMs: signed.maxAgeMs },
        now: clock(),
        copies: new LocalCopies(options.cacheDir, store.location),
      });
      log(`avhealth: verified ${where}: keyid ${verified.keyid}, fetched at ${verified.predicate.fetchedAt} (${formatAge(verified.ageMs)} ago), ${verified.predicate.deviceCount} devices`);
      return publicationRef(verified, tenantId, stackUrn);
    } catch (error) {
      return failedRef(error, tenantId, stackUrn, `the signed publication at ${where} cannot be used`);
    }
  };
}

function credentials(options: SignedSnapshotOptions): StoreCredentials {
  const config = options.config ?? stackConfigFromEnv(options.env);
  const sas = nonBlank(options.env.AVHEALTH_STORE_SAS) ?? nonBlank(config.get("avhealth:storeSas"));
  const connectionString = nonBlank(options.env.AZURE_STORAGE_CONNECTION_STRING);
  registerSecret(sas);
  return {
    ...(sas ? { sas } : {}),
    ...(connectionString ? { connectionString } : {}),
    ...(options.tokenCredential ? { tokenCredential: options.tokenCredential } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  };
}

function publicationRef(verified: VerifiedPublication, tenant: string, stackUrn: string | undefined): FleetRef {
  const { predicate } = verified;
  return knownRef(
    {
      digest: predicate.digest,
      path: verified.snapshotPath,
      complete: predicate.complete,
      incompleteReasons: [],
      deviceCount: predicate.deviceCount,
      method: predicate.method,
      publication: {
        location: verified.location,
        keyid: verified.keyid,
        fetchedAt: predicate.fetchedAt,
        expiresAt: predicate.expiresAt,
        ageSeconds: Math.max(0, Math.round(verified.ageMs / 1000)),
        deviceCount: predicate.deviceCount,
      },
    },
    tenant,
    stackUrn,
  );
}
