import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAvHealthError } from "../../errors";
import { formatProblem, type Problem } from "../load/problems";
import { runRuleCases } from "./run";

const EXAMPLES = join(__dirname, "../../../examples/rules");
const RULES = `version: 1
rules:
  - id: signatures
    description: Signatures current
    enforcement: mandatory
    require: { avIsSignatureUpToDate: true }
    threshold: { minPercent: 90 }
exceptions:
  - { rule: signatures, devices: [waived-1], reason: r, expires: 2026-01-31 }
`;

function workspace(cases: Record<string, string>): { rules: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), "avhealth-cases-"));
  const dir = join(root, "cases");
  mkdirSync(dir);
  writeFileSync(join(root, "rules.yaml"), RULES);
  for (const [name, text] of Object.entries(cases)) writeFileSync(join(dir, name), text);
  return { rules: join(root, "rules.yaml"), dir };
}

async function problems(cases: Record<string, string>): Promise<string[]> {
  const { rules, dir } = workspace(cases);
  const error = await runRuleCases(rules, dir).catch((e: unknown) => e);
  if (!isAvHealthError(error, "RULE_CASE_INVALID")) throw new Error(`expected RULE_CASE_INVALID, got ${String(error)}`);
  return ((error.details.problems as Problem[] | undefined) ?? []).map((p) => formatProblem({ ...p, file: p.file.replace(`${dir}/`, "") }));
}

describe("runRuleCases", () => {
  it("passes every case of the shipped example", async () => {
    const outcome = await runRuleCases(join(EXAMPLES, "compliance.yaml"), join(EXAMPLES, "cases"));
    expect(outcome.results.filter((r) => !r.passed)).toEqual([]);
    expect(outcome).toMatchObject({ passed: 12, failed: 0 });
  });

  it("lists every expectation that does not hold", async () => {
    const { rules, dir } = workspace({
      "a.yaml": `cases:
  - name: wrong on purpose
    now: 2026-01-15T12:00:00Z
    devices:
      - { repeat: 8, computerDnsName: "ok-{n}" }
      - { computerDnsName: bad-1, avIsSignatureUpToDate: false }
      - { computerDnsName: waived-1, avIsSignatureUpToDate: false }
    gate: pass
    expect:
      signatures: { status: pass, counts: { counted: 10, waived: 0 }, percent: 90, failingDevices: [bad-2] }
    exceptions:
      - { state: expired, devicesMatched: 2 }
  - name: right
    now: 2026-01-15T12:00:00Z
    devices: [{ repeat: 3 }]
    expect: { signatures: pass }
`,
    });
    const outcome = await runRuleCases(rules, dir);
    expect(outcome).toMatchObject({ passed: 1, failed: 1 });
    expect(outcome.results[0]).toMatchObject({ name: "a.yaml: wrong on purpose", passed: false });
    expect(outcome.results[0]?.differences).toEqual([
      "gate: expected pass, got fail",
      "signatures: status expected pass, got fail (88.89% of 9 counted, 1 failing, 1 waived; bad-1: avIsSignatureUpToDate is false, expected true)",
      "signatures: counts.counted expected 10, got 9",
      "signatures: counts.waived expected 0, got 1",
      "signatures: percent expected 90, got 88.89",
      "signatures: failingDevices missing bad-2",
      "signatures: failingDevices unexpected bad-1",
      "exceptions[0] (signatures): state expected expired, got active",
      "exceptions[0] (signatures): devicesMatched expected 2, got 1",
    ]);
    expect(outcome.results[1]).toEqual({ name: "a.yaml: right", file: join(dir, "a.yaml"), passed: true, differences: [] });
  });

  it("reports the problems of every case file at once, located", async () => {
    const found = await problems({
      "1.yaml": `cases:
  - name: one
    now: yesterday
    devices:
      - { avModee: active, quickScanTime: 3 days ago, repeat: 0 }
    expect:
      signature: pass
      signatures: passed
`,
      "2.yaml": `cases:
  - name: two
    now: 2026-01-15
    devices: [{}]
    fleet: nowhere.json
    exceptions: [{}, {}]
    extra: 1
  - name: three
    now: 2026-01-15
`,
      "3.yaml": "cases: [\n",
    });
    expect(found).toEqual([
      '1.yaml:3:10 cases[0].now: now "yesterday" is not a valid time; write a date (2026-12-31) or a timestamp with a zone (2026-12-31T18:00:00Z)',
      '1.yaml:5:11 cases[0].devices[0].avModee: unknown device field "avModee" (did you mean "avMode"?)',
      '1.yaml:5:43 cases[0].devices[0].quickScanTime: quickScanTime takes a timestamp, a relative time such as "3d ago", or null; write a date (2026-12-31) or a timestamp with a zone (2026-12-31T18:00:00Z)',
      "1.yaml:5:63 cases[0].devices[0].repeat: repeat takes an integer from 1 to 200000",
      '1.yaml:7:7 cases[0].expect.signature: unknown rule "signature" (did you mean "signatures"?); the rule file defines signatures',
      '1.yaml:8:19 cases[0].expect.signatures: "passed" is not allowed; use one of pass, fail, indeterminate, disabled',
      "2.yaml:5:12 cases[0].fleet: give either devices or fleet, not both",
      "2.yaml:6:17 cases[0].exceptions: 2 exception expectations, but the rule file has 1 exceptions",
      '2.yaml:7:5 cases[0].extra: unknown key "extra"; allowed here: name, now, complete, devices, fleet, gate, expect, exceptions',
      "2.yaml:8:5 cases[1]: a case needs devices (a list of device overrides) or fleet (a JSON-API file)",
      expect.stringMatching(/^3\.yaml:\d+:\d+ \(document\): YAML: /),
    ]);
  });

  it("checks cross-file facts once the schema holds", async () => {
    const found = await problems({
      "x.yaml": `cases:
  - name: both
    now: 2026-01-15
    devices: [{}]
    fleet: nowhere.json
  - name: neither
    now: 2026-01-15
  - name: too many exception expectations
    now: 2026-01-15
    devices: [{}]
    exceptions: [{}, {}]
`,
    });
    expect(found).toEqual([
      "x.yaml:5:12 cases[0].fleet: give either devices or fleet, not both",
      "x.yaml:6:5 cases[1]: a case needs devices (a list of device overrides) or fleet (a JSON-API file)",
      "x.yaml:11:17 cases[2].exceptions: 2 exception expectations, but the rule file has 1 exceptions",
    ]);
  });

  it("refuses a missing or empty case directory", async () => {
    const { rules, dir } = workspace({});
    await expect(runRuleCases(rules, dir)).rejects.toMatchObject({ code: "RULE_CASE_INVALID", message: expect.stringContaining("no case files") });
    await expect(runRuleCases(rules, join(dir, "missing"))).rejects.toMatchObject({ code: "RULE_CASE_INVALID" });
  });

  it("fails on an invalid rule file before reading cases", async () => {
    const { dir } = workspace({});
    const bad = join(dir, "..", "bad.yaml");
    writeFileSync(bad, "version: 1\nrules: []\n");
    await expect(runRuleCases(bad, dir)).rejects.toMatchObject({ code: "RULES_INVALID" });
  });
});
