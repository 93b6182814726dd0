import { generateKeyPairSync } from "node:crypto";
import { isAvHealthError } from "../../errors";
import { generateKeyPair } from "../../signing";
import { loadRuleText } from "../load/load";
import { formatProblem, type Problem } from "../load/problems";

const RULES = "rules:\n  - id: r1\n    description: d\n    require: { avMode: active }\n";
const ED = generateKeyPair("ed25519");
const EC = generateKeyPair("ecdsa-p256");
const RSA = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }) as string;

function block(pem: string): string {
  return `        - |\n${pem.trimEnd().split("\n").map((l) => `          ${l}`).join("\n")}\n`;
}

function text(signed: string): string {
  return `version: 1\nsettings:\n  fleet:\n    tenantId: t\n    signed:\n${signed}${RULES}`;
}

function problems(signed: string): string[] {
  try {
    loadRuleText(text(signed), "pins.yaml");
  } catch (error) {
    if (isAvHealthError(error, "RULES_INVALID")) return (error.details.problems as Problem[]).map(formatProblem);
    throw error;
  }
  throw new Error("expected RULES_INVALID");
}

describe("settings.fleet.signed", () => {
  it("compiles the location, both kinds of key with their keyids, and maxAge (default 25h)", () => {
    const fleet = loadRuleText(text(`      from: https://contoso.blob.core.windows.net/avhealth/prod/\n      keys:\n${block(ED.publicPem)}${block(EC.publicPem)}`), "pins.yaml").settings.fleet;
    expect(fleet?.signed).toEqual({
      from: "https://contoso.blob.core.windows.net/avhealth/prod",
      keys: [
        { pem: expect.stringContaining("BEGIN PUBLIC KEY") as unknown, keyid: ED.keyid },
        { pem: expect.stringContaining("BEGIN PUBLIC KEY") as unknown, keyid: EC.keyid },
      ],
      maxAgeMs: 25 * 3_600_000,
    });
    const custom = loadRuleText(text(`      from: /srv/publications\n      maxAge: 90m\n      keys:\n${block(ED.publicPem)}`), "pins.yaml").settings.fleet;
    expect(custom?.signed).toMatchObject({ from: "/srv/publications", maxAgeMs: 90 * 60_000 });
    const relative = loadRuleText(text(`      from: ../publications\n      keys:\n${block(ED.publicPem)}`), "/etc/avhealth/pins.yaml").settings.fleet;
    expect(relative?.signed?.from).toBe("/etc/publications");
  });

  it("is null when the fleet is pinned without it", () => {
    expect(loadRuleText(`version: 1\nsettings:\n  fleet:\n    tenantId: t\n${RULES}`, "pins.yaml").settings.fleet?.signed).toBeNull();
  });

  it.each([
    ["a key that is not PEM", `      from: /srv/p\n      keys: ["not a key"]\n`, "pins.yaml:7:14 settings.fleet.signed.keys[0]: settings.fleet.signed.keys[0] is not a PEM public key"],
    ["an RSA key", `      from: /srv/p\n      keys:\n${block(RSA)}`, "pins.yaml:8:11 settings.fleet.signed.keys[0]: settings.fleet.signed.keys[0] is a rsa key"],
    ["a private key", `      from: /srv/p\n      keys:\n${block(ED.privatePem)}`, "pins.yaml:8:11 settings.fleet.signed.keys[0]: settings.fleet.signed.keys[0] holds a private key"],
    ["a bad maxAge", `      from: /srv/p\n      maxAge: 25 hours\n      keys:\n${block(ED.publicPem)}`, "pins.yaml:7:15 settings.fleet.signed.maxAge"],
    ["a zero maxAge", `      from: /srv/p\n      maxAge: 0h\n      keys:\n${block(ED.publicPem)}`, "pins.yaml:7:15 settings.fleet.signed.maxAge: must be longer than 0"],
    ["a clear-text URL", `      from: http://store.example.com/p\n      keys:\n${block(ED.publicPem)}`, "pins.yaml:6:13 settings.fleet.signed.from: settings.fleet.signed.from (http://store.example.com/p) is not https"],
    ["a SAS in the URL", `      from: "https://a.blob.core.windows.net/c/p?sv=1&sig=SECRETSIG"\n      keys:\n${block(ED.publicPem)}`, "pins.yaml:6:13 settings.fleet.signed.from: must not carry a query"],
    ["no keys", `      from: /srv/p\n      keys: []\n`, "pins.yaml:7:13 settings.fleet.signed.keys"],
    ["an unknown key", `      from: /srv/p\n      key: x\n      keys:\n${block(ED.publicPem)}`, "pins.yaml:7:7 settings.fleet.signed.key: unknown key"],
  ])("refuses %s with a located problem", (_name, signed, expected) => {
    const found = problems(signed);
    expect(found).toHaveLength(1);
    expect(found[0]!.slice(0, expected.length)).toBe(expected);
    expect(found[0]).not.toContain("SECRETSIG");
  });
});
