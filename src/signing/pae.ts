/**
 * DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(payload) SP payload, lengths in ASCII
 * decimal byte counts. Signatures cover this, never the JSON of the envelope, so no canonical JSON is needed.
 */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  const head = Buffer.from(`DSSEv1 ${type.length} `, "utf8");
  const middle = Buffer.from(` ${payload.length} `, "utf8");
  return Buffer.concat([head, type, middle, payload]);
}
