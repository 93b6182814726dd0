import { readFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { renderReport, sarifLevel } from "../../src/reports";
import type { EvaluationResult } from "../../src/report-model/types";
import { HOSTILE_NAMES, hostileEvaluation, makeDevices, makeEvaluation, makeFailingRule, makeRule } from "./fixtures/evaluation";

// The SARIF 2.1.0 schema (schemastore's sarif-2.1.0-rtm.5.json, the final 2.1.0 schema) as Microsoft's
// @microsoft/jest-sarif package ships it. It is a draft-04 schema, hence ajv-draft-04. Its "language"
// pattern is written for non-Unicode regular expressions, hence unicodeRegExp: false.
const schema: unknown = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
);

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema as object);

interface SarifResultShape {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }>;
  properties: { status: string; failingDevices: Array<{ computerDnsName: string | null }>; failingDevicesOmitted: number };
}
interface SarifShape {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; defaultConfiguration: { level: string; enabled: boolean }; properties: Record<string, unknown> }> } };
    results: SarifResultShape[];
  }>;
}

function sarifOf(result: EvaluationResult): SarifShape {
  const text = renderReport("sarif", result);
  const parsed: unknown = JSON.parse(text);
  const valid = validate(parsed);
  if (!valid) throw new Error(`SARIF does not validate: ${ajv.errorsText(validate.errors)}`);
  return parsed as SarifShape;
}

describe("renderReport sarif", () => {
  it("the schema validator rejects what it should (it is not a rubber stamp)", () => {
    expect(validate({ version: "2.1.0", runs: [] })).toBe(true);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ level: "fatal", message: { text: "m" } }] }] })).toBe(false);
  });

  it("validates against the SARIF 2.1.0 schema, hostile names included", () => {
    const sarif = sarifOf(hostileEvaluation());
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const names = sarif.runs[0].results[0].properties.failingDevices.map((d) => d.computerDnsName);
    expect(names).toEqual([...Object.values(HOSTILE_NAMES), null]);
  });

  it("has one result per failing or indeterminate rule, with the level from enforcement", () => {
    const run = sarifOf(hostileEvaluation()).runs[0];
    expect(run.tool.driver.name).toBe("avhealth");
    expect(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level, r.defaultConfiguration.enabled])).toEqual([
      ["signatures-current", "error", true],
      ["quick-scan-7d", "warning", true],
      ["full-scan-30d", "error", true],
      ["engine-current", "note", false],
    ]);
    expect(run.tool.driver.rules.map((r) => r.properties["security-severity"])).toEqual(["8.0", "5.5", "8.0", "2.0"]);
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.properties.status])).toEqual([
      ["signatures-current", 0, "error", "fail"],
      ["quick-scan-7d", 1, "warning", "fail"],
      ["full-scan-30d", 2, "error", "indeterminate"],
    ]);
    expect(run.results[0].message.text).toBe(
      "Rule signatures-current failed: 93.46% of 107 counted devices passing (threshold ≥ 98%); 7 fail, 0 unknown, 0 waived, 107 in scope.",
    );
    expect(run.results[2].message.text).toContain("indeterminate: only 0 devices counted, fewer than settings.minDevices");
    // Device names stay out of message text, where a viewer might interpret them.
    expect(run.results.map((r) => r.message.text).join("\n")).not.toContain("<img");
  });

  it.each([
    ["mandatory", "error"],
    ["advisory", "warning"],
    ["disabled", "note"],
  ] as const)("maps enforcement %s to level %s", (enforcement, level) => {
    expect(sarifLevel({ enforcement })).toBe(level);
  });

  it("has no results when every rule passes", () => {
    expect(sarifOf(makeEvaluation()).runs[0].results).toEqual([]);
  });

  it.each([
    ["policies/compliance.yaml", "policies/compliance.yaml"],
    ["./compliance.yaml", "compliance.yaml"],
    ["rules\\win dows.yaml", "rules/win%20dows.yaml"],
    ["/home/ci/repo/compliance.yaml", "file:///home/ci/repo/compliance.yaml"],
  ])("locates results in the rules file %j as %j", (rulesFile, uri) => {
    const run = sarifOf(makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(1))] }, { rulesFile })).runs[0];
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(uri);
    expect(run.results[0].locations[0].physicalLocation.region).toBeUndefined();
  });

  it("points at the rule's line when the caller knows it", () => {
    const result = makeEvaluation(
      { gate: "fail", rules: [makeRule({ id: "other" }), makeFailingRule(makeDevices(2))] },
      { ruleLocations: { "signatures-current": { line: 14, column: 5 }, other: { line: 3, column: 5 } } },
    );
    const res = sarifOf(result).runs[0].results;
    expect(res).toHaveLength(1);
    expect(res[0].locations[0].physicalLocation.region).toEqual({ startLine: 14, startColumn: 5 });
  });

  it("caps the devices carried per result and counts the rest", () => {
    const res = sarifOf(makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(40))] })).runs[0].results[0];
    expect(res.properties.failingDevices).toHaveLength(25);
    expect(res.properties.failingDevicesOmitted).toBe(15);
  });

  it("gives the same bytes for the same input", () => {
    expect(renderReport("sarif", hostileEvaluation())).toBe(renderReport("sarif", hostileEvaluation()));
  });
});
