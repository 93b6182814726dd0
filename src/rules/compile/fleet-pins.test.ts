import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isAvHealthError } from "../../errors";
import { loadRuleText } from "../load/load";
import { formatProblem, type Problem } from "../load/problems";

const RULES = "rules:\n  - id: r1\n    description: d\n    require: { avMode: active }\n";

function load(settings: string) {
  return loadRuleText(`version: 1\nsettings:\n${settings}${RULES}`, "pins.yaml");
}

function problems(settings: string): string[] {
  try {
    load(settings);
  } catch (error) {
    if (isAvHealthError(error, "RULES_INVALID")) return (error.details.problems as Problem[]).map(formatProblem);
    throw error;
  }
  throw new Error("expected RULES_INVALID");
}

describe("settings.fleet", () => {
  it("is null when the file does not pin the fleet", () => {
    expect(load("  minDevices: 1\n").settings.fleet).toBeNull();
  });

  it("defaults the cloud to commercial and the allow lists to empty", () => {
    expect(load("  fleet:\n    tenantId: contoso.onmicrosoft.com\n").settings.fleet).toEqual({
      tenantId: "contoso.onmicrosoft.com",
      cloud: "commercial",
      allowApiUrls: [],
      allowAuthorityHosts: [],
      caFiles: [],
      caCertificates: [],
      method: "auto",
      cacheTtlSeconds: 300,
      signed: null,
    });
  });

  it("normalizes the allowed URLs as base URLs", () => {
    const fleet = load(
      "  fleet:\n    tenantId: 00000000-0000-0000-0000-000000000001\n    cloud: gcc-high\n" +
        "    allowApiUrls: [https://defender.internal.example/]\n    allowAuthorityHosts: [http://127.0.0.1:8443]\n",
    ).settings.fleet;
    expect(fleet).toEqual({
      tenantId: "00000000-0000-0000-0000-000000000001",
      cloud: "gcc-high",
      allowApiUrls: ["https://defender.internal.example"],
      allowAuthorityHosts: ["http://127.0.0.1:8443"],
      caFiles: [],
      caCertificates: [],
      method: "auto",
      cacheTtlSeconds: 300,
      signed: null,
    });
  });

  it.each([
    ["a missing tenant", "  fleet:\n    cloud: gcc\n", "pins.yaml:4:5 settings.fleet: missing required key \"tenantId\""],
    ["a tenant that cannot be an id", "  fleet:\n    tenantId: \"a b\"\n", "pins.yaml:4:15 settings.fleet.tenantId"],
    ["an unknown cloud", "  fleet:\n    tenantId: t\n    cloud: azure-china\n", "pins.yaml:5:12 settings.fleet.cloud"],
    ["an allowed API URL in clear text", "  fleet:\n    tenantId: t\n    allowApiUrls: [http://defender.example.com]\n", "pins.yaml:5:20 settings.fleet.allowApiUrls[0]: settings.fleet.allowApiUrls[0] (http://defender.example.com/) is not https"],
    ["an allowed login host with a query", "  fleet:\n    tenantId: t\n    allowAuthorityHosts: [\"https://login.example?x=1\"]\n", "pins.yaml:5:27 settings.fleet.allowAuthorityHosts[0]"],
    ["an unknown key", "  fleet:\n    tenantId: t\n    tenant: u\n", "pins.yaml:5:5 settings.fleet.tenant: unknown key \"tenant\""],
    ["a missing CA file", "  fleet:\n    tenantId: t\n    caFiles: [no-such-ca.pem]\n", `pins.yaml:5:15 settings.fleet.caFiles[0]: ${path.resolve("no-such-ca.pem")} does not exist`],
    ["an unknown method", "  fleet:\n    tenantId: t\n    method: fastest\n", "pins.yaml:5:13 settings.fleet.method"],
    ["a cacheTtl over a day", "  fleet:\n    tenantId: t\n    cacheTtl: 48h\n", "pins.yaml:5:15 settings.fleet.cacheTtl: must be seconds"],
  ])("refuses %s with a located problem", (_name, settings, expected) => {
    const found = problems(settings);
    expect(found).toHaveLength(1);
    expect(found[0].slice(0, expected.length)).toBe(expected);
  });
});

describe("settings.fleet.caFiles, method and cacheTtl", () => {
  it("reads the CA files relative to the rule file, when it is loaded", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-pins-ca-"));
    try {
      const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
      fs.mkdirSync(path.join(dir, "certs"));
      fs.writeFileSync(path.join(dir, "certs", "proxy.pem"), `subject=proxy\n${pem}\n`);
      fs.writeFileSync(path.join(dir, "notes.txt"), "no certificate here");
      const text = (ca: string) => `version: 1\nsettings:\n  fleet:\n    tenantId: t\n    method: files\n    cacheTtl: 90s\n    caFiles: [${ca}]\n${RULES}`;
      const fleet = loadRuleText(text("certs/proxy.pem"), path.join(dir, "compliance.yaml")).settings.fleet;
      expect(fleet).toMatchObject({ caFiles: [path.join(dir, "certs", "proxy.pem")], caCertificates: [pem], method: "files", cacheTtlSeconds: 90 });
      try {
        loadRuleText(text("notes.txt"), path.join(dir, "compliance.yaml"));
        throw new Error("expected RULES_INVALID");
      } catch (error) {
        if (!isAvHealthError(error, "RULES_INVALID")) throw error;
        expect((error.details.problems as Problem[]).map(formatProblem)[0]).toContain(`settings.fleet.caFiles[0]: ${path.join(dir, "notes.txt")} holds no PEM certificate`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
