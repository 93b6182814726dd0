/**
 * DSSE envelopes: sign the PAE of (payloadType, payload) and verify against pinned keys. Every pinned key is
 * tried against every signature; a keyid that names a pinned key only moves that attempt to the front.
 * Ed25519 signs the PAE itself; ECDSA P-256 signs its SHA-256, as ASN.1 DER (what cosign writes).
 */
import { sign, verify } from "node:crypto";
import { AvHealthError, ErrorCodes } from "../errors";
import { pae } from "./pae";
import type { Envelope, EnvelopeSignature, KeyType, SigningKey, VerifiedEnvelope, VerifyingKey } from "./types";

export function signEnvelope(payloadType: string, payload: Buffer, key: SigningKey): Envelope {
  const sig = sign(digestFor(key.type), pae(payloadType, payload), signOptions(key));
  return { payloadType, payload: payload.toString("base64"), signatures: [{ keyid: key.keyid, sig: sig.toString("base64") }] };
}

/** Parses envelope bytes; the shape is checked, nothing is trusted yet. */
export function parseEnvelope(bytes: Buffer, where: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (cause) {
    throw malformed(where, "it is not JSON", cause);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed(where, "it is not a JSON object");
  const v = value as Record<string, unknown>;
  if (typeof v.payloadType !== "string") throw malformed(where, "payloadType is missing");
  if (typeof v.payload !== "string" || !isBase64(v.payload)) throw malformed(where, "payload is not base64");
  if (!Array.isArray(v.signatures)) throw malformed(where, "signatures is not a list");
  const signatures: EnvelopeSignature[] = [];
  for (const entry of v.signatures as unknown[]) {
    if (typeof entry !== "object" || entry === null) throw malformed(where, "a signature is not an object");
    const s = entry as Record<string, unknown>;
    if (typeof s.sig !== "string" || !isBase64(s.sig)) throw malformed(where, "a signature's sig is not base64");
    signatures.push({ keyid: typeof s.keyid === "string" ? s.keyid : "", sig: s.sig });
  }
  return { payloadType: v.payloadType, payload: v.payload, signatures };
}

/** The payload when at least one signature verifies with one of the keys; SIGNATURE_INVALID otherwise. */
export function verifyEnvelope(envelope: Envelope, keys: readonly VerifyingKey[], where: string): VerifiedEnvelope {
  const payload = Buffer.from(envelope.payload, "base64");
  const message = pae(envelope.payloadType, payload);
  if (envelope.signatures.length === 0) {
    throw new AvHealthError(ErrorCodes.SIGNATURE_INVALID, `${where} is not signed (no signatures): publish it with \`avhealth publish\`, which signs it.`, {
      details: { location: where },
    });
  }
  for (const signature of envelope.signatures) {
    const sig = Buffer.from(signature.sig, "base64");
    for (const key of ordered(keys, signature.keyid)) {
      if (verifies(key, message, sig)) return { payloadType: envelope.payloadType, payload, keyid: key.keyid };
    }
  }
  const hints = envelope.signatures.map((s) => s.keyid.slice(0, 64).replace(/[^0-9a-zA-Z]/g, "?") || "(none)").join(", ");
  throw new AvHealthError(
    ErrorCodes.SIGNATURE_INVALID,
    `${where} has no valid signature by a pinned key (${keys.length} pinned: ${keys.map((k) => k.keyid.slice(0, 12)).join(", ")}; the envelope names keyid ${hints}). ` +
      "Pin the publisher's current public key (settings.fleet.signed.keys or --key), or ask the publisher to re-publish with a pinned key.",
    { details: { location: where } },
  );
}

function ordered(keys: readonly VerifyingKey[], hint: string): VerifyingKey[] {
  return [...keys.filter((key) => key.keyid === hint), ...keys.filter((key) => key.keyid !== hint)];
}

function verifies(key: VerifyingKey, message: Buffer, sig: Buffer): boolean {
  try {
    return verify(digestFor(key.type), message, key.type === "ecdsa-p256" ? { key: key.key, dsaEncoding: "der" } : key.key, sig);
  } catch {
    // A signature of the wrong shape for this key type is a signature that does not verify with it.
    return false;
  }
}

function digestFor(type: KeyType): string | null {
  return type === "ed25519" ? null : "sha256";
}

function signOptions(key: SigningKey) {
  return key.type === "ecdsa-p256" ? { key: key.key, dsaEncoding: "der" as const } : key.key;
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) || /^[A-Za-z0-9_-]*={0,2}$/.test(text);
}

function malformed(where: string, why: string, cause?: unknown): AvHealthError {
  return new AvHealthError(ErrorCodes.PUBLICATION_INVALID, `${where} is not a DSSE envelope: ${why}. Re-publish with \`avhealth publish\`.`, {
    cause,
    details: { location: where },
  });
}
