"""An independent DSSE implementation for interop tests, on Python's `cryptography` package only.

  verify ENVELOPE PUBKEY_PEM        exit 0 and print the keyid when a signature verifies, else exit 1
  sign PAYLOAD_FILE PRIVKEY_PEM OUT sign the payload as an in-toto envelope
  keygen DIR TYPE                   write key.pem / pub.pem (TYPE: ed25519 or ecdsa-p256)
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type: str, payload: bytes) -> bytes:
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def keyid(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def verify(envelope_path: str, pub_path: str) -> int:
    with open(envelope_path, "rb") as f:
        envelope = json.load(f)
    with open(pub_path, "rb") as f:
        public_key = serialization.load_pem_public_key(f.read())
    payload = base64.b64decode(envelope["payload"])
    message = pae(envelope["payloadType"], payload)
    for signature in envelope["signatures"]:
        sig = base64.b64decode(signature["sig"])
        try:
            if isinstance(public_key, ed25519.Ed25519PublicKey):
                public_key.verify(sig, message)
            else:
                public_key.verify(sig, message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            continue
        print(keyid(public_key))
        return 0
    print("no valid signature", file=sys.stderr)
    return 1


def sign(payload_path: str, key_path: str, out_path: str) -> int:
    with open(payload_path, "rb") as f:
        payload = f.read()
    with open(key_path, "rb") as f:
        private_key = serialization.load_pem_private_key(f.read(), password=None)
    message = pae(PAYLOAD_TYPE, payload)
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        sig = private_key.sign(message)
    else:
        sig = private_key.sign(message, ec.ECDSA(hashes.SHA256()))
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode("ascii"),
        "signatures": [{"keyid": keyid(private_key.public_key()), "sig": base64.b64encode(sig).decode("ascii")}],
    }
    with open(out_path, "w") as f:
        json.dump(envelope, f)
    return 0


def keygen(directory: str, key_type: str) -> int:
    private_key = ed25519.Ed25519PrivateKey.generate() if key_type == "ed25519" else ec.generate_private_key(ec.SECP256R1())
    with open(f"{directory}/key.pem", "wb") as f:
        f.write(private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(f"{directory}/pub.pem", "wb") as f:
        f.write(private_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    print(keyid(private_key.public_key()))
    return 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.exit({"verify": verify, "sign": sign, "keygen": keygen}[command](*args))
