/** DSSE envelopes (secure-systems-lab/dsse v1.0) and the keys that sign and verify them. */
import type { KeyObject } from "node:crypto";

export type KeyType = "ed25519" | "ecdsa-p256";

export interface EnvelopeSignature {
  /** A hint only: which key probably made the signature. Never trusted. */
  keyid: string;
  /** Base64. */
  sig: string;
}

export interface Envelope {
  payloadType: string;
  /** Base64 of the payload bytes. */
  payload: string;
  signatures: EnvelopeSignature[];
}

/** A public key the verifier trusts, with its keyid (lowercase hex sha256 of its SPKI DER). */
export interface VerifyingKey {
  type: KeyType;
  keyid: string;
  key: KeyObject;
}

/** A private key that signs; its keyid is the keyid of its public half. */
export interface SigningKey {
  type: KeyType;
  keyid: string;
  key: KeyObject;
}

/** What a verified envelope yields: its payload bytes and the pinned key that verified it. */
export interface VerifiedEnvelope {
  payloadType: string;
  payload: Buffer;
  keyid: string;
}
