import { pinnedOverrides } from "../../src/config/pins";
import { resolveConnection } from "../../src/config/resolve";
import type { Env, FleetPins } from "../../src/config/types";
import { failure } from "../helpers/errors";

const TENANT = "11111111-2222-3333-4444-555555555555";
const PINS: FleetPins = {
  tenantId: TENANT,
  cloud: "commercial",
  allowApiUrls: ["https://127.0.0.1:8443"],
  allowAuthorityHosts: ["https://127.0.0.1:8443"],
  caFiles: [],
  caCertificates: [],
  method: "auto",
  cacheTtlSeconds: 300,
  signed: null,
};

function config(values: Record<string, string> = {}) {
  return { get: (key: string) => values[key] };
}

describe("pinnedOverrides", () => {
  it("takes tenant, cloud and the cloud's hosts from the pins and credentials from stack config", () => {
    const overrides = pinnedOverrides(PINS, config({ "avhealth:clientId": "app", "avhealth:clientSecret": "s3cret" }), {});
    expect(overrides).toEqual({
      tenantId: TENANT,
      cloud: "commercial",
      apiUrl: "https://api.securitycenter.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
      clientId: "app",
      clientSecret: "s3cret",
    });
  });

  it("accepts values that agree with the pins, from either source, in any case", () => {
    const env: Env = { AZURE_TENANT_ID: TENANT.toUpperCase(), AVHEALTH_API_URL: "https://127.0.0.1:8443/", AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443", AVHEALTH_CLOUD: "Commercial" };
    const overrides = pinnedOverrides(PINS, config({ "avhealth:apiUrl": "https://EU.api.security.microsoft.com" }), env);
    expect(overrides).toMatchObject({ tenantId: TENANT, apiUrl: "https://eu.api.security.microsoft.com", authorityHost: "https://127.0.0.1:8443" });
    // The environment still supplies the credentials, and nothing else.
    const connection = resolveConnection({ overrides, env: { ...env, AZURE_CLIENT_ID: "app", AZURE_CLIENT_SECRET: "x" } });
    expect(connection).toMatchObject({ tenantId: TENANT, apiUrl: "https://eu.api.security.microsoft.com", authorityHost: "https://127.0.0.1:8443", credential: { kind: "secret" } });
  });

  it.each<[string, Record<string, string>, Env, string]>([
    ["another tenant in stack config", { "avhealth:tenantId": "evil" }, {}, 'stack config avhealth:tenantId names tenant "evil", but the rule file pins tenant'],
    ["another tenant in the environment", {}, { AZURE_TENANT_ID: "evil" }, "environment AZURE_TENANT_ID names tenant"],
    ["another cloud", { "avhealth:cloud": "gcc" }, {}, 'stack config avhealth:cloud is "gcc", but the rule file pins the commercial cloud'],
    ["an API URL outside the allow list", { "avhealth:apiUrl": "https://127.0.0.1:9999" }, {}, "stack config avhealth:apiUrl is https://127.0.0.1:9999, which is neither an official API URL"],
    ["a login host outside the allow list", {}, { AZURE_AUTHORITY_HOST: "login.evil.example" }, "environment AZURE_AUTHORITY_HOST is https://login.evil.example, which is neither an official login host"],
    ["another cloud's API host", {}, { AVHEALTH_API_URL: "https://api-gov.securitycenter.microsoft.us" }, "environment AVHEALTH_API_URL is https://api-gov.securitycenter.microsoft.us"],
    ["an API URL in clear text", { "avhealth:apiUrl": "http://defender.example.com" }, {}, "is not https"],
  ])("refuses %s, naming the setting", async (_name, stack, env, message) => {
    const error = await failure(Promise.resolve().then(() => pinnedOverrides(PINS, config(stack), env)));
    expect(error.code).toBe("FLEET_PIN_MISMATCH");
    expect(error.message).toContain(message);
    expect(error.message).toContain("only credentials may come from there");
  });

  it("names every contradicting setting in one message", async () => {
    const error = await failure(
      Promise.resolve().then(() => pinnedOverrides(PINS, config({ "avhealth:tenantId": "a" }), { AZURE_TENANT_ID: "b", AVHEALTH_API_URL: "https://127.0.0.2" })),
    );
    expect(error.code).toBe("FLEET_PIN_MISMATCH");
    expect(error.message).toContain("avhealth:tenantId");
    expect(error.message).toContain("AZURE_TENANT_ID");
    expect(error.message).toContain("AVHEALTH_API_URL");
    expect(error.details.refused).toBe(3);
  });
});

