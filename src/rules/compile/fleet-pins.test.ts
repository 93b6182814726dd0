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
  ])("refuses %s with a located problem", (_name, settings, expected) => {
    const found = problems(settings);
    expect(found).toHaveLength(1);
    expect(found[0].slice(0, expected.length)).toBe(expected);
  });
});
