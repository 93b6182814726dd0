/** The entrance under settings.fleet.signed: the signed source, with the stack's source settings named as ignored. */
import { stackConfigFromEnv } from "../../src/config/stack-config";
import { decideGateSource } from "../../src/trust/entrance";
import { makePins } from "../policy/fakes";

const TENANT = "11111111-2222-3333-4444-555555555555";
const signed = { from: "/srv/publications", keys: [{ pem: "-----BEGIN PUBLIC KEY-----", keyid: "ab" }], maxAgeMs: 3_600_000 };

it("chooses the signed source when the pins name publications, and the pinned fetch otherwise", () => {
  expect(decideGateSource(makePins(TENANT), {}, stackConfigFromEnv({})).kind).toBe("pinned-fetch");
  const source = decideGateSource(makePins(TENANT, { signed }), {}, stackConfigFromEnv({}));
  expect(source).toMatchObject({ kind: "signed", signed, ignored: [] });
});

it("names the Defender and source settings a signed gate ignores, never their values", () => {
  const env = {
    AVHEALTH_API_URL: "https://127.0.0.1:1",
    AZURE_CLIENT_SECRET: "client-secret-canary-123",
    AVHEALTH_FLEET_SOURCE: "resources",
    AVHEALTH_CACHE_DIR: "/tmp/x",
    PULUMI_CONFIG: JSON.stringify({ "avhealth:apiUrl": "https://fake.example", "avhealth:filter": "x", "avhealth:method": "json" }),
  };
  const source = decideGateSource(makePins(TENANT, { signed }), env, stackConfigFromEnv(env));
  if (source.kind !== "signed") throw new Error(`expected the signed source, got ${source.kind}`);
  expect(source.ignored).toEqual([
    "environment AVHEALTH_FLEET_SOURCE (a signed gate reads only the pinned publication)",
    "stack config avhealth:method (a signed gate reads only the pinned publication)",
    "environment AVHEALTH_API_URL (a signed gate never calls the Defender API)",
    "environment AZURE_CLIENT_SECRET (a signed gate needs no Defender credential)",
    "stack config avhealth:apiUrl (a signed gate never calls the Defender API)",
    "stack config avhealth:filter (a publication is always the whole tenant)",
  ]);
  expect(JSON.stringify(source)).not.toContain("client-secret-canary-123");
});
