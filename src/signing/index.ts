/** DSSE signing and verification with node:crypto (Ed25519, ECDSA P-256). */
export { pae } from "./pae";
export { parseEnvelope, signEnvelope, verifyEnvelope } from "./dsse";
export { generateKeyPair, keyidOf, KEY_TYPES, loadPrivateKey, loadPublicKey, type GeneratedKeyPair } from "./keys";
export type { Envelope, EnvelopeSignature, KeyType, SigningKey, VerifiedEnvelope, VerifyingKey } from "./types";
