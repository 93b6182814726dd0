/**
 * Keys: Ed25519 or ECDSA P-256, as PEM (SPKI for public keys, PKCS#8 for private ones). A key of any other type
 * is refused when it is loaded, never met at verification time. `label` says where the key came from (a file,
 * a rule-file path, AVHEALTH_SIGNING_KEY) so messages can point there; key material never enters a message.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { AvHealthError, ErrorCodes } from "../errors";
import type { KeyType, SigningKey, VerifyingKey } from "./types";

export const KEY_TYPES: readonly KeyType[] = ["ed25519", "ecdsa-p256"];

/** Lowercase hex sha256 of the public key's SPKI DER. */
export function keyidOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
}

export function keyTypeOf(key: KeyObject, label: string): KeyType {
  if (key.asymmetricKeyType === "ed25519") return "ed25519";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ecdsa-p256";
  const what = key.asymmetricKeyType === "ec" ? `an EC key on curve ${key.asymmetricKeyDetails?.namedCurve ?? "?"}` : `a ${key.asymmetricKeyType ?? "?"} key`;
  throw new AvHealthError(
    ErrorCodes.SIGNING_KEY_INVALID,
    `${label} is ${what}; only Ed25519 and ECDSA P-256 keys are accepted. Make one with \`avhealth keygen\`.`,
    { details: { key: label } },
  );
}

export function loadPublicKey(pem: string, label: string): VerifyingKey {
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new AvHealthError(ErrorCodes.SIGNING_KEY_INVALID, `${label} holds a private key; give the public key (the .pub file that \`avhealth keygen\` writes) instead.`, {
      details: { key: label },
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (cause) {
    throw new AvHealthError(ErrorCodes.SIGNING_KEY_INVALID, `${label} is not a PEM public key ("-----BEGIN PUBLIC KEY-----" …): paste the .pub file that \`avhealth keygen\` wrote.`, {
      cause,
      details: { key: label },
    });
  }
  return { type: keyTypeOf(key, label), keyid: keyidOf(key), key };
}

export function loadPrivateKey(pem: string, label: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    // The cause is dropped on purpose: OpenSSL's error text may quote the input.
    throw new AvHealthError(ErrorCodes.SIGNING_KEY_INVALID, `${label} is not a PEM private key (PKCS#8, "-----BEGIN PRIVATE KEY-----"): use the .key file that \`avhealth keygen\` wrote.`, {
      details: { key: label },
    });
  }
  return { type: keyTypeOf(key, label), keyid: keyidOf(createPublicKey(key)), key };
}

export interface GeneratedKeyPair {
  type: KeyType;
  keyid: string;
  privatePem: string;
  publicPem: string;
}

export function generateKeyPair(type: KeyType): GeneratedKeyPair {
  const pair = type === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    type,
    keyid: keyidOf(pair.publicKey),
    privatePem: pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    publicPem: pair.publicKey.export({ type: "spki", format: "pem" }) as string,
  };
}
