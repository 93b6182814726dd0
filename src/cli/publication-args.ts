/**
 * Flags shared by `verify` and `check --from`: the location, the pinned public keys (--key, repeatable), the
 * tenant and cloud, --max-age. Store credentials come from the environment (AVHEALTH_STORE_SAS,
 * AZURE_STORAGE_CONNECTION_STRING) and are never printed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultCacheDir } from "../cache";
import { parseCloud } from "../config/clouds";
import type { CloudName, FleetPins } from "../config/types";
import { AvHealthError, ErrorCodes } from "../errors";
import { DEFAULT_MAX_AGE, LocalCopies, requireDuration, verifyPublication, type VerifiedPublication } from "../publication";
import { loadPublicKey, type VerifyingKey } from "../signing";
import { openStore, parseLocation, type PublicationStore, type StoreCredentials } from "../store";
import { registerSecret } from "../util/redact";
import type { FlagSpec, ParsedFlags } from "./args";
import type { CliIo } from "./io";
import { nonBlank } from "../util/non-blank";
import { readCaFile } from "../http/dispatcher";

export const PUBLICATION_FLAGS: FlagSpec = {
  key: { type: "string", multiple: true },
  tenant: { type: "string" },
  cloud: { type: "string" },
  "max-age": { type: "string" },
};

export function listFlag(flags: ParsedFlags, name: string): string[] {
  const value = flags.values[name] as unknown;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

/** The CLI runs what its user asks for: AVHEALTH_CA_FILE adds a CA for an https store, as it does for the API. */
export function storeCredentials(env: NodeJS.ProcessEnv): StoreCredentials {
  const sas = nonBlank(env.AVHEALTH_STORE_SAS);
  const connectionString = nonBlank(env.AZURE_STORAGE_CONNECTION_STRING);
  const caFile = nonBlank(env.AVHEALTH_CA_FILE);
  registerSecret(sas);
  return { ...(sas ? { sas } : {}), ...(connectionString ? { connectionString } : {}), ...(caFile ? { ca: readCaFile(caFile, "AVHEALTH_CA_FILE") } : {}) };
}

export function openCliStore(command: string, text: string, io: CliIo): PublicationStore {
  const location = parseLocation(text, io.cwd, `avhealth ${command} LOCATION`);
  if (location.kind !== "directory" && location.query) registerSecret(location.query);
  return openStore(location, { credentials: storeCredentials(io.env) });
}

export function cloudFlag(command: string, flags: ParsedFlags, env: NodeJS.ProcessEnv): CloudName {
  const value = typeof flags.values.cloud === "string" ? flags.values.cloud : nonBlank(env.AVHEALTH_CLOUD);
  return value === undefined ? "commercial" : parseCloud(value, value === flags.values.cloud ? `avhealth ${command} --cloud` : "AVHEALTH_CLOUD");
}

/**
 * Downloads (or reuses the local copy of) the publication at LOCATION and verifies it against the flags. With
 * `pins` (a rule file's settings.fleet with `signed`), its keys, tenant, cloud and maxAge apply where no flag is given.
 */
export async function verifyFromFlags(
  command: string,
  locationText: string,
  flags: ParsedFlags,
  io: CliIo,
  now: Date,
  deep: boolean,
  pins: FleetPins | null = null,
): Promise<VerifiedPublication> {
  const signed = pins?.signed ?? null;
  const keyFiles = listFlag(flags, "key");
  const tenantId = typeof flags.values.tenant === "string" ? flags.values.tenant.trim() : signed !== null && pins !== null ? pins.tenantId : "";
  if ((keyFiles.length === 0 && signed === null) || tenantId === "") {
    throw new AvHealthError(
      ErrorCodes.USAGE,
      `avhealth ${command}: --key PUB and --tenant T are required with a publication (or a rule file with settings.fleet.signed). Run \`avhealth ${command} --help\`.`,
    );
  }
  const keys =
    keyFiles.length > 0
      ? keyFiles.map((file) => readPublicKey(path.resolve(io.cwd, file), `--key ${file}`))
      : (signed?.keys ?? []).map((key, i) => loadPublicKey(key.pem, `settings.fleet.signed.keys[${i}]`));
  const maxAgeText = typeof flags.values["max-age"] === "string" ? flags.values["max-age"] : undefined;
  const maxAgeMs = maxAgeText !== undefined ? requireDuration(maxAgeText, `avhealth ${command} --max-age`) : (signed?.maxAgeMs ?? requireDuration(DEFAULT_MAX_AGE, "default"));
  const cloud = typeof flags.values.cloud !== "string" && signed !== null && pins !== null ? pins.cloud : cloudFlag(command, flags, io.env);
  const store = openCliStore(command, locationText, io);
  return verifyPublication({
    store,
    keys,
    pins: { tenantId, cloud, maxAgeMs },
    now,
    copies: new LocalCopies(defaultCacheDir(io.env), store.location),
    deep,
  });
}

function readPublicKey(file: string, label: string): VerifyingKey {
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.USAGE, `${label}: cannot read ${file}: ${(cause as Error).message}.`, { cause });
  }
  return loadPublicKey(pem, label);
}
