import { XMLParser, XMLValidator } from "fast-xml-parser";
import { renderReport } from "../../src/reports";
import type { EvaluationResult } from "../../src/report-model/types";
import { HOSTILE_NAMES, hostileEvaluation, makeCounts, makeDevice, makeDevices, makeEvaluation, makeFailingRule } from "./fixtures/evaluation";

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
});

function parse(result: EvaluationResult): { xml: string; suite: Node; cases: Node[] } {
  const xml = renderReport("junit", result);
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { testsuites: Node & { testsuite: Node[] } };
  expect(doc.testsuites.testsuite).toHaveLength(1);
  const suite = doc.testsuites.testsuite[0];
  return { xml, suite, cases: suite.testcase as Node[] };
}

function failureText(testcase: Node): string {
  const failure = testcase.failure as Node;
  return failure["#text"] as string;
}

describe("renderReport junit", () => {
  it("has a testsuite for the rules file and a testcase per rule, with consistent counts", () => {
    const { xml, suite, cases } = parse(hostileEvaluation());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="avhealth" tests="4" failures="2" errors="0" skipped="1"')).toBe(true);
    expect([suite["@name"], suite["@tests"], suite["@failures"], suite["@errors"], suite["@skipped"], suite["@timestamp"]]).toEqual([
      "policies/compliance.yaml", "4", "2", "0", "1", "2026-06-01T12:00:00",
    ]);
    expect(cases.map((c) => [c["@name"], c["@classname"], c["@file"]])).toEqual([
      ["signatures-current", "avhealth.compliance", "policies/compliance.yaml"],
      ["quick-scan-7d", "avhealth.compliance", "policies/compliance.yaml"],
      ["full-scan-30d", "avhealth.compliance", "policies/compliance.yaml"],
      ["engine-current", "avhealth.compliance", "policies/compliance.yaml"],
    ]);
    const props = (suite.properties as { property: Node[] }).property.map((p) => [p["@name"], p["@value"]]);
    expect(props).toContainEqual(["gate", "fail"]);
    expect(props).toContainEqual(["snapshot.deviceCount", "1234"]);
  });

  it("fails mandatory fail and indeterminate rules, skips disabled ones, keeps advisory failures in system-out", () => {
    const { cases } = parse(hostileEvaluation());
    const [mandatory, advisory, indeterminate, disabled] = cases;
    expect((mandatory.failure as Node)["@type"]).toBe("fail");
    expect((mandatory.failure as Node)["@message"]).toContain("93.46% of 107 counted devices passing");
    expect(advisory.failure).toBeUndefined();
    expect(advisory["system-out"]).toContain("ADVISORY (advisory) FAIL: Quick scan <within> 7 days");
    expect(advisory["system-out"]).toContain("adv-0001.contoso.com");
    expect((indeterminate.failure as Node)["@type"]).toBe("indeterminate");
    expect(disabled.failure).toBeUndefined();
    expect((disabled.skipped as Node)["@message"]).toBe("enforcement: disabled");
  });

  it("carries hostile names as text: the parser gives back exactly the names, ]]> and markup included", () => {
    const { xml, cases } = parse(hostileEvaluation());
    const body = failureText(cases[0]);
    for (const name of Object.values(HOSTILE_NAMES)) expect(body).toContain(`  ${name} (`);
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("]]>");
  });

  it("replaces characters XML 1.0 forbids, so the document stays well-formed", () => {
    const devices = [{ machineId: "a".repeat(40), computerDnsName: "bell\u0007esc\u001b\ufffe", outcome: "fail" as const, reason: "nul\u0000" }];
    const { xml, cases } = parse(makeEvaluation({ gate: "fail", rules: [makeFailingRule(devices)] }));
    // eslint-disable-next-line no-control-regex -- looking for forbidden control characters
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(failureText(cases[0])).toContain("bell␇esc␛\uFFFD (");
    expect(failureText(cases[0])).toContain("nul␀");
  });

  it.each([
    [100, 100, null],
    [101, 100, "… and 1 more"],
    [250, 100, "… and 150 more"],
  ])("lists %i failing devices as %i lines", (total, shown, more) => {
    const { cases } = parse(makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(total))] }));
    const body = failureText(cases[0]);
    expect(body.match(/^ {2}dev-\d{4}\.contoso\.com \(/gm)).toHaveLength(shown);
    if (more === null) expect(body).not.toContain("… and");
    else expect(body).toContain(`${more} (the json and csv report formats list all of them)`);
  });

  it("points a capped list at the JSON report only when it is written", () => {
    const evaluation = makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(101))] }, { reportFiles: ["avhealth-report.json", "avhealth-report.junit.xml"] });
    expect(failureText(parse(evaluation).cases[0])).toContain("… and 1 more (all of them are in avhealth-report.json)");
  });

  it("adds the rule's line when known", () => {
    const { cases } = parse(makeEvaluation({}, { ruleLocations: { "signatures-current": { line: 21, column: 5 } } }));
    expect(cases[0]["@line"]).toBe("21");
  });

  it("gives the same bytes for the same input", () => {
    expect(renderReport("junit", hostileEvaluation())).toBe(renderReport("junit", hostileEvaluation()));
  });

  it("names fail and unknown apart (never a sum that reads as more), and lists fail before unknown", () => {
    const devices = [
      makeDevice({ machineId: "a".repeat(40), computerDnsName: "a-stale", outcome: "unknown", reason: "device is stale" }),
      makeDevice({ machineId: "b".repeat(40), computerDnsName: "b-bad", outcome: "fail", reason: "avIsSignatureUpToDate is false" }),
    ];
    const rule = makeFailingRule(devices, { counts: makeCounts({ inScope: 400, pass: 177, fail: 98, unknown: 125, counted: 400, passing: 177, failing: 223 }), percent: 44.25 });
    const { cases } = parse(makeEvaluation({ gate: "fail", rules: [rule] }));
    const failure = cases[0]?.failure as Node;
    expect(failure["@message"]).toContain("98 fail, 125 unknown (223 counted as failing)");
    expect(failure["@message"]).not.toMatch(/223 failing/);
    const body = failureText(cases[0] as Node);
    expect(body.indexOf("b-bad")).toBeGreaterThan(-1);
    expect(body.indexOf("b-bad")).toBeLessThan(body.indexOf("a-stale"));
  });
});
