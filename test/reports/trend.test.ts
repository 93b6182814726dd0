/** The history in the HTML (trend charts) and Markdown (last gates) reports. */
import { renderReport } from "../../src/reports";
import { HTML_TREND_ENTRIES } from "../../src/reports/html-trend";
import { MARKDOWN_GATE_ENTRIES } from "../../src/reports/markdown-trend";
import { makeEntries, makeEntry, makeHistoryRule } from "../history/fixtures";
import { makeEvaluation, makeRule } from "./fixtures/evaluation";

const RULES = [
  makeRule({ id: "signatures-current", threshold: { minPercent: 90, maxFailing: null } }),
  makeRule({ id: "active-mode" }),
  makeRule({ id: "off", status: "disabled", enforcement: "disabled" }),
];

const evaluation = (history?: ReturnType<typeof makeEntries>) => makeEvaluation({ rules: RULES }, { history });

function figure(html: string, rule: string): string {
  const start = html.indexOf(`<figure class="trend" data-rule="${rule}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf("</figure>", start));
}

describe("HTML trend", () => {
  it("is absent without a history: the page is byte for byte what it was", () => {
    const without = renderReport("html", evaluation());
    expect(without).not.toContain("h-trend");
    expect(renderReport("html", evaluation([]))).toBe(without);
  });

  it("draws one chart per evaluated rule over the last 30 entries, with a point per evaluated entry", () => {
    const html = renderReport("html", evaluation(makeEntries(45)));
    expect(html.match(/<figure class="trend"/g)).toHaveLength(2);
    expect(html).toContain(`Percent passing over the last ${HTML_TREND_ENTRIES} evaluations`);
    const chart = figure(html, "signatures-current");
    expect(chart).toContain('data-points="30"');
    expect(chart.match(/<circle class="point st-/g)).toHaveLength(30);
    // Entry 15 (the first shown) is 92.5%, entry 44 (the last) 78%; every third entry failed.
    expect(chart).toContain("<title>2026-06-16T12:00:00.000Z: 92.50% (pass)</title>");
    expect(chart).toContain("<title>2026-07-15T12:00:00.000Z: 78.00% (fail)</title>");
    expect(chart.match(/st-fail/g)).toHaveLength(10);
    expect(chart).toContain("from 92.50% to 78.00%; threshold 90%.");
    expect(chart).toContain(">2026-06-16</text>");
    expect(chart).toContain(">2026-07-15</text>");
  });

  it("places points and the threshold on a y scale from a multiple of 5 below the lowest figure to 100", () => {
    const entries = [90, 95, 100].map((percent, i) =>
      makeEntry({ evaluatedAt: `2026-06-0${i + 1}T00:00:00.000Z`, rules: { "signatures-current": makeHistoryRule({ percent }) } }),
    );
    const chart = figure(renderReport("html", evaluation(entries)), "signatures-current");
    // Plot: x 46..504 over three entries; y 12 (100%) .. 122 (85%, the multiple of 5 below 90).
    expect(chart).toContain('points="46,85.3 275,48.7 504,12"');
    expect(chart).toMatch(/<line class="threshold" x1="46" y1="85.3" x2="504" y2="85.3">/);
    expect(chart).toContain(">85%</text>");
    expect(chart).toContain(">100%</text>");
  });

  it("breaks the line at an entry where the rule was indeterminate or missing", () => {
    const entries = makeEntries(5);
    entries[2] = makeEntry({ ...entries[2], rules: { "signatures-current": makeHistoryRule({ status: "indeterminate" }) } });
    const html = renderReport("html", evaluation(entries));
    const chart = figure(html, "signatures-current");
    expect(chart.match(/<polyline/g)).toHaveLength(2);
    expect(chart).toContain('data-points="4"');
    const active = figure(html, "active-mode");
    expect(active).toContain('data-points="4"');
  });

  it("says so when a rule has no evaluated figure yet", () => {
    const entries = [makeEntry({ rules: { other: makeHistoryRule() } })];
    const chart = figure(renderReport("html", evaluation(entries)), "active-mode");
    expect(chart).toContain('data-points="0"');
    expect(chart).toContain("No evaluated figures in the history yet.");
  });

  it("escapes what the history file says", () => {
    const entries = [makeEntry({ evaluatedAt: "2026-06-01T00:00:00Z<img src=x>" })];
    const html = renderReport("html", evaluation(entries));
    expect(html).not.toContain("<img");
    expect(html).toContain("2026-06-01T00:00:00Z&lt;img src=x&gt;: 99.50% (pass)");
  });
});

describe("Markdown last gates", () => {
  it("is absent without a history", () => {
    expect(renderReport("md", evaluation())).not.toContain("gates");
    expect(renderReport("md", evaluation([]))).toBe(renderReport("md", evaluation()));
  });

  it("lists the last 10 gates, newest first, with the rules that did not pass", () => {
    const md = renderReport("md", evaluation(makeEntries(14)));
    const start = md.indexOf(`### Last ${MARKDOWN_GATE_ENTRIES} gates`);
    expect(start).toBeGreaterThan(-1);
    const rows = md.slice(start).split("\n").filter((l) => l.startsWith("| 2026"));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe("| 2026-06-14T12:00:00.000Z | ✅ pass | 200 | 00000000000d | — |");
    expect(rows[1]).toBe("| 2026-06-13T12:00:00.000Z | ✅ pass | 200 | 00000000000c | — |");
    // Entry 11 (June 12) is one of every third that failed, at 100 - 11 × 0.5.
    expect(rows[2]).toBe("| 2026-06-12T12:00:00.000Z | ❌ fail | 200 | 00000000000b | signatures-current (94.50%) |");
    expect(rows[9]).toBe("| 2026-06-05T12:00:00.000Z | ✅ pass | 200 | 000000000004 | — |");
  });

  it("says 'Last gate' for one entry and escapes the file's strings", () => {
    const md = renderReport("md", evaluation([makeEntry({ evaluatedAt: "2026-06-01T00:00:00Z|x", rules: { "a*b": makeHistoryRule({ status: "indeterminate" }) } })]));
    expect(md).toContain("### Last 1 gate\n");
    expect(md).toContain("| 2026-06-01T00:00:00Z\\|x | ✅ pass | 200 | abababababab | a\\*b (indeterminate) |");
  });
});
