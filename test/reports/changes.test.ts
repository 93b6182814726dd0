/** "Changes since the baseline" in every format: figures, the newly failing devices, SARIF baselineState, escaping. */
import { readFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import MarkdownIt from "markdown-it";
import { renderReport } from "../../src/reports";
import type { EvaluationResult, FailingDevice, RuleComparison } from "../../src/report-model/types";
import { HOSTILE_NAMES, makeDevices, makeEvaluation, makeFailingRule, makeRule } from "./fixtures/evaluation";

const sarifSchema: unknown = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema as object);

const hostile: FailingDevice[] = Object.values(HOSTILE_NAMES).map((name, i) => ({
  machineId: `${i + 1}`.padStart(40, "a"),
  computerDnsName: name,
  outcome: "fail",
  reason: `reason <b>${i}</b>`,
}));

function comparison(overrides: Partial<RuleComparison> = {}): RuleComparison {
  return { baselineStatus: "fail", baselinePercent: 95, percentDelta: 0, regressed: false, ratcheted: false, newlyFailing: [], fixed: [], waived: [], left: [], ...overrides };
}

/**
 * signatures-current: failed before at 96.5%, fails now with 6 hostile-named devices, all newly failing, 1 fixed,
 * 1 left (percent −1.25 points). quick-scan-7d: passed before, fails now (advisory). engine-current: passes now,
 * failed before (ratcheted). full-scan-30d: not in the baseline.
 */
function withBaseline(): EvaluationResult {
  const signatures = makeFailingRule(hostile);
  return makeEvaluation({
    gate: "fail",
    baseline: { file: "baseline/<avhealth-report>.json", evaluatedAt: "2026-05-25T12:00:00.000Z", snapshotDigest: "sha256:" + "cd".repeat(32) },
    rules: [
      {
        ...signatures,
        comparison: comparison({
          baselinePercent: 96.5,
          percentDelta: -1.254,
          newlyFailing: hostile,
          fixed: [{ machineId: "f".repeat(40), computerDnsName: "fixed.contoso.com" }],
          left: [{ machineId: "9".repeat(40), computerDnsName: HOSTILE_NAMES.html }],
        }),
      },
      { ...makeFailingRule(makeDevices(2, "adv"), { id: "quick-scan-7d", enforcement: "advisory" }), comparison: comparison({ baselineStatus: "pass", baselinePercent: 100, percentDelta: -1.96, newlyFailing: makeDevices(2, "adv") }) },
      makeRule({ id: "engine-current", percent: 91, comparison: comparison({ baselinePercent: 91, ratcheted: true }), baselineNote: "below the threshold, not worse than the baseline (ratchet): percent ±0.00 points, 0 devices newly failing" }),
      makeRule({ id: "full-scan-30d", baselineNote: "no baseline: the rule is not in the baseline" }),
    ],
  });
}

describe("changes since the baseline", () => {
  it("Markdown: a section before the failing devices, a row per rule, the newly failing devices escaped", () => {
    const md = renderReport("md", withBaseline());
    const section = md.indexOf("### Changes since the baseline");
    expect(section).toBeGreaterThan(0);
    expect(section).toBeLessThan(md.indexOf("### Failing devices"));
    expect(md).toContain("| signatures-current | fail | 96.50% → 94.34% | −1.25 | 6 | 1 | 0 | 1 |  |");
    expect(md).toContain("| engine-current | pass (ratcheted) | 91.00% → 91.00% | ±0.00 | 0 | 0 | 0 | 0 | below the threshold");
    expect(md).toContain("| full-scan-30d | pass | — | — | — | — | — | — | no baseline: the rule is not in the baseline |");
    expect(md).toContain("#### signatures-current: 6 newly failing devices");
    expect(md).toContain("baseline/&lt;avhealth-report&gt;.json");
    const html = new MarkdownIt({ html: true, linkify: true }).render(md);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain('href="https://evil.example"');
  });

  it("Markdown: no section without a baseline", () => {
    expect(renderReport("md", makeEvaluation())).not.toContain("Changes since the baseline");
  });

  it("HTML: a section with the table and newly failing devices, every string escaped", () => {
    const html = renderReport("html", withBaseline());
    expect(html).toContain('<h2 id="h-changes">Changes since the baseline</h2>');
    expect(html).toContain('<section class="newly-failing" data-rule="signatures-current" data-total="6">');
    expect(html).toContain("<td>pass (ratcheted)</td>");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(renderReport("html", makeEvaluation())).not.toContain("Changes since the baseline");
  });

  it("SARIF: baselineState new, updated and absent; valid SARIF 2.1.0; none without a baseline", () => {
    const log = JSON.parse(renderReport("sarif", withBaseline())) as { runs: Array<{ results: Array<{ ruleId: string; kind: string; level: string; baselineState?: string; message: { text: string } }> }> };
    expect(validateSarif(log)).toBe(true);
    const results = log.runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, r.kind, r.level, r.baselineState])).toEqual([
      ["signatures-current", "fail", "error", "updated"],
      ["quick-scan-7d", "fail", "warning", "new"],
      ["engine-current", "pass", "none", "absent"],
    ]);
    expect(results[0]?.message.text).toContain("Since the baseline (fail, 96.50%): −1.25 points, 6 newly failing, 1 fixed, 0 waived, 1 left.");
    expect(results[0]?.message.text).not.toContain("<img");
    const plain = JSON.parse(renderReport("sarif", makeEvaluation({ rules: [makeFailingRule(makeDevices(1))] }))) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    expect(plain.runs[0]?.results.map((r) => "baselineState" in r)).toEqual([false]);
  });

  it("SARIF: unchanged when the percent and the failing devices are the same", () => {
    const rule = makeFailingRule(makeDevices(2));
    const result = makeEvaluation({
      baseline: { file: "b.json", evaluatedAt: "x", snapshotDigest: "y" },
      rules: [{ ...rule, comparison: comparison({ baselinePercent: rule.percent, percentDelta: 0.001 }) }],
    });
    const log = JSON.parse(renderReport("sarif", result)) as { runs: Array<{ results: Array<{ baselineState?: string }> }> };
    expect(log.runs[0]?.results[0]?.baselineState).toBe("unchanged");
  });

  it("JUnit: the baseline as suite properties and the delta in each compared testcase", () => {
    const xml = renderReport("junit", withBaseline());
    expect(xml).toContain('<property name="baseline.file" value="baseline/&lt;avhealth-report&gt;.json"/>');
    expect(xml).toContain("Since the baseline (fail, 96.50%): −1.25 points, 6 newly failing, 1 fixed, 0 waived, 1 left.");
    expect(xml).toContain("Baseline: no baseline: the rule is not in the baseline.");
    expect(xml).not.toContain("<img");
  });

  it("CSV: percentDelta and change per row, and a row per device no longer failing", () => {
    const rows = renderReport("csv", withBaseline()).trimEnd().split("\r\n");
    const signatures = rows.filter((r) => r.startsWith("signatures-current,"));
    expect(signatures).toHaveLength(6 + 2);
    expect(signatures.filter((r) => r.includes(",-1.254,newly failing,"))).toHaveLength(6);
    expect(signatures[6]).toBe(`signatures-current,fail,mandatory,${"f".repeat(40)},fixed.contoso.com,,,-1.254,fixed,,,,6,0`);
    expect(signatures[7]).toBe(`signatures-current,fail,mandatory,${"9".repeat(40)},<img src=x onerror=alert(1)>,,,-1.254,left,,,,6,0`);
    expect(rows.filter((r) => r.startsWith("engine-current,"))).toEqual(["engine-current,pass,mandatory,,,,,0,,,,,0,0"]);
    expect(rows.filter((r) => r.startsWith("full-scan-30d,"))).toEqual(["full-scan-30d,pass,mandatory,,,,,,,,,,0,0"]);
  });
});
