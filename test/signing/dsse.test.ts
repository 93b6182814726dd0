import { createHash, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { pae, parseEnvelope, signEnvelope, verifyEnvelope, loadPublicKey, loadPrivateKey, keyidOf } from "../../src/signing";
import { isAvHealthError } from "../../src/errors";
import { makeKey } from "../publication/support";

function codeOfSync(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAvHealthError(error) ? error.code : `not an AvHealthError: ${String(error)}`;
  }
  return undefined;
}

describe("DSSE pre-authentication encoding", () => {
  it("matches the DSSE specification's test vector", () => {
    expect(pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString("utf8")).toBe("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  });

  it("counts bytes, not characters", () => {
    expect(pae("t", Buffer.from("é", "utf8")).toString("utf8")).toBe("DSSEv1 1 t 2 é");
  });
});

describe.each(["ed25519", "ecdsa-p256"] as const)("DSSE envelopes with %s", (type) => {
  const key = makeKey(type);
  const other = makeKey(type);
  const payload = Buffer.from('{"hello":"world"}');

  it("signs and verifies; the keyid is the sha256 of the SPKI DER", () => {
    const envelope = signEnvelope("application/vnd.in-toto+json", payload, key.signing);
    const spki = createPublicKey(key.publicPem).export({ type: "spki", format: "der" });
    expect(envelope.signatures[0]?.keyid).toBe(createHash("sha256").update(spki).digest("hex"));
    expect(key.verifying.keyid).toBe(envelope.signatures[0]?.keyid);
    const verified = verifyEnvelope(parseEnvelope(Buffer.from(JSON.stringify(envelope)), "x"), [other.verifying, key.verifying], "x");
    expect(verified.payload.equals(payload)).toBe(true);
    expect(verified.keyid).toBe(key.verifying.keyid);
  });

  it("refuses another key's signature, a changed payload and a changed payloadType", () => {
    const envelope = signEnvelope("application/vnd.in-toto+json", payload, key.signing);
    expect(codeOfSync(() => verifyEnvelope(envelope, [other.verifying], "x"))).toBe("SIGNATURE_INVALID");
    expect(codeOfSync(() => verifyEnvelope({ ...envelope, payload: Buffer.from('{"hello":"there"}').toString("base64") }, [key.verifying], "x"))).toBe("SIGNATURE_INVALID");
    expect(codeOfSync(() => verifyEnvelope({ ...envelope, payloadType: "application/json" }, [key.verifying], "x"))).toBe("SIGNATURE_INVALID");
    expect(codeOfSync(() => verifyEnvelope({ ...envelope, signatures: [] }, [key.verifying], "x"))).toBe("SIGNATURE_INVALID");
  });

  it("treats the keyid as a hint: a wrong keyid with a good signature passes, a pinned keyid on a bad signature fails", () => {
    const envelope = signEnvelope("application/vnd.in-toto+json", payload, key.signing);
    const misnamed = { ...envelope, signatures: [{ keyid: "0".repeat(64), sig: envelope.signatures[0]!.sig }] };
    expect(verifyEnvelope(misnamed, [key.verifying], "x").keyid).toBe(key.verifying.keyid);
    const forged = signEnvelope("application/vnd.in-toto+json", payload, other.signing);
    const borrowed = { ...forged, signatures: [{ keyid: key.verifying.keyid, sig: forged.signatures[0]!.sig }] };
    expect(codeOfSync(() => verifyEnvelope(borrowed, [key.verifying], "x"))).toBe("SIGNATURE_INVALID");
  });
});

it("writes ECDSA signatures as ASN.1 DER over SHA-256 of the PAE (as cosign does)", () => {
  const key = makeKey("ecdsa-p256");
  const envelope = signEnvelope("t", Buffer.from("p"), key.signing);
  const sig = Buffer.from(envelope.signatures[0]!.sig, "base64");
  expect(sig[0]).toBe(0x30);
  const { verify } = jest.requireActual<typeof import("node:crypto")>("node:crypto");
  expect(verify("sha256", pae("t", Buffer.from("p")), { key: createPublicKey(key.publicPem), dsaEncoding: "der" }, sig)).toBe(true);
});

it("accepts an ECDSA envelope signed outside this code", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const body = Buffer.from("{}");
  const sig = sign("sha256", pae("application/vnd.in-toto+json", body), { key: privateKey, dsaEncoding: "der" });
  const pub = loadPublicKey(publicKey.export({ type: "spki", format: "pem" }) as string, "k");
  expect(verifyEnvelope({ payloadType: "application/vnd.in-toto+json", payload: body.toString("base64"), signatures: [{ keyid: "", sig: sig.toString("base64") }] }, [pub], "x").keyid).toBe(
    keyidOf(publicKey),
  );
});

describe("keys", () => {
  it.each([
    ["not PEM", "hello", "SIGNING_KEY_INVALID"],
    ["an RSA key", generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }) as string, "SIGNING_KEY_INVALID"],
    ["a P-384 key", generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "pem" }) as string, "SIGNING_KEY_INVALID"],
    ["a private key", makeKey().privatePem, "SIGNING_KEY_INVALID"],
  ])("refuses %s as a public key", (_, pem, code) => {
    expect(codeOfSync(() => loadPublicKey(pem, "k"))).toBe(code);
  });

  it("never quotes the private key in its error", () => {
    const pem = makeKey().privatePem.replace("MC", "XX");
    try {
      loadPrivateKey(pem, "AVHEALTH_SIGNING_KEY");
      throw new Error("expected a failure");
    } catch (error) {
      expect(isAvHealthError(error, "SIGNING_KEY_INVALID")).toBe(true);
      expect(String((error as Error).message)).not.toContain(pem.split("\n")[1]!.slice(4, 30));
    }
  });
});

describe("envelope parsing", () => {
  it.each([
    ["not JSON", "{"],
    ["an array", "[]"],
    ["no payloadType", '{"payload":"","signatures":[]}'],
    ["a non-base64 payload", '{"payloadType":"t","payload":"%%%","signatures":[]}'],
    ["signatures not a list", '{"payloadType":"t","payload":"","signatures":{}}'],
  ])("refuses %s with PUBLICATION_INVALID", (_, text) => {
    expect(codeOfSync(() => parseEnvelope(Buffer.from(text), "x"))).toBe("PUBLICATION_INVALID");
  });
});
