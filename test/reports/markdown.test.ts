import MarkdownIt from "markdown-it";
import { renderReport } from "../../src/reports";
import {
  HOSTILE_NAMES,
  hostileEvaluation,
  makeDevices,
  makeEvaluation,
  makeFailingRule,
  makeGroup,
  makeRule,
  makeSnapshotInfo,
} from "./fixtures/evaluation";

/** Cells of a GFM table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

/** The table that follows the line equal to `header`, as rows of cells (header and delimiter rows dropped). */
function tableAfter(markdown: string, headerStart: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith(headerStart));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith("|"); i++) rows.push(cells(lines[i]));
  return rows;
}

describe("renderReport md", () => {
  it("opens with the gate line and one summary row per rule, in file order", () => {
    const md = renderReport("md", hostileEvaluation());
    expect(md.split("\n")[0]).toBe("## Defender antivirus health gate: ❌ FAIL");
    const rows = tableAfter(md, "| Rule | Status |");
    expect(rows.map((r) => r[0])).toEqual(["signatures-current", "quick-scan-7d", "full-scan-30d", "engine-current"]);
    expect(rows.every((r) => r.length === 10)).toBe(true);
    expect(rows[0]).toEqual([
      "signatures-current", "❌ fail (blocks)", "93.46%", "≥ 98%", "107", "7", "0", "mandatory", "high", "Security intelligence is up to date",
    ]);
    expect(rows[1].slice(1, 3)).toEqual(["❌ fail", "97.09%"]);
    expect(rows[2][1]).toBe("⚠️ indeterminate (blocks)");
    expect(rows[3].slice(1, 7)).toEqual(["⏸️ disabled", "—", "≥ 98%", "—", "—", "—"]);
  });

  it("states a passing gate and the threshold with maxFailing", () => {
    const md = renderReport("md", makeEvaluation({ rules: [makeRule({ threshold: { minPercent: 99.5, maxFailing: 1200 } })] }));
    expect(md.split("\n")[0]).toBe("## Defender antivirus health gate: ✅ PASS");
    expect(md).toContain("1 of 1 evaluated rules passed; no mandatory rule failed.");
    expect(tableAfter(md, "| Rule |")[0][3]).toBe("≥ 99.5%, ≤ 1,200 failing");
  });

  it("renders every hostile device name as escaped text that keeps the table intact", () => {
    const md = renderReport("md", hostileEvaluation());
    const rows = tableAfter(md, "| Device | Machine ID |");
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.length === 7)).toBe(true);
    // Fail before unknown, by name within each; the machine group (device-supplied) is escaped like the name.
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      ["&lt;img src=x onerror=alert(1)&gt;", "fail"],
      ["x\\]\\]&gt;y", "fail"],
      ["Überwachung-サーバー-😀.contoso.com", "fail"],
      ["a\\|b␊c", "unknown"],
      ["=cmd\\|' /C calc'!A0", "unknown"],
      ["\\*\\*bold\\*\\* \\[link\\](https\\://evil.example) \\`code\\` \\_u\\_ www\\.evil.example", "unknown"],
      ["(no name)", "unknown"],
    ]);
    expect(rows.map((r) => r[3])).toEqual([...rows.slice(0, 6).map((r) => r[0]), "—"]);
    expect(rows[0].slice(4, 6)).toEqual(["Windows11", "2026-05-30T10:00:00Z"]);
    expect(rows[6].slice(3, 6)).toEqual(["—", "—", "—"]);
    expect(md).toContain("#### signatures-current: 3 fail, 4 unknown");
    expect(md).not.toContain("<img");
    expect(md).not.toContain("]]>");
    expect(md).not.toMatch(/a\|b\nc/);
    // The hostile RBAC group and exception reason are escaped too.
    expect(tableAfter(md, "| Device group |").map((r) => r[0])).toEqual(["&lt;img src=x onerror=alert(1)&gt;", "a\\|b␊c"]);
    expect(tableAfter(md, "| Rule | State |").map((r) => [r[0], r[1], r[4]])).toEqual([
      ["signatures-current", "active", "&lt;img src=x onerror=alert(1)&gt;"],
      ["\\*", "expired", "x\\]\\]&gt;y"],
    ]);
    expect(HOSTILE_NAMES.html).toBe("<img src=x onerror=alert(1)>");
  });

  it("renders hostile names as plain text in a real CommonMark + GFM-table renderer with raw HTML and autolinks on", () => {
    // html: true and linkify: true are the permissive settings: an unescaped <img> or www. name would show.
    const html = new MarkdownIt({ html: true, linkify: true }).render(renderReport("md", hostileEvaluation()));
    expect(html).not.toMatch(/<(a|img|em|strong|code|s|script)\b/);
    const decode = (cell: string): string =>
      cell.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    const deviceTable = html.split("<th>Device</th>")[1].split("</table>")[0];
    const firstCells = [...deviceTable.matchAll(/<tr>\s*<td>([\s\S]*?)<\/td>/g)].map((m) => decode(m[1]));
    expect(firstCells).toEqual([
      HOSTILE_NAMES.html,
      HOSTILE_NAMES.cdata,
      HOSTILE_NAMES.nonAscii,
      "a|b␊c",
      HOSTILE_NAMES.formula,
      HOSTILE_NAMES.markdown,
      "(no name)",
    ]);
    expect([...deviceTable.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].every((m) => (m[1].match(/<td/g) ?? []).length === 7)).toBe(true);
  });

  it.each([
    [24, 24, null],
    [25, 25, null],
    [26, 25, "… and 1 more"],
    [1000, 25, "… and 975 more"],
  ])("caps %i failing devices at %i rows", (total, shown, more) => {
    const md = renderReport("md", makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(total))] }));
    const rows = tableAfter(md, "| Device | Machine ID |");
    expect(rows).toHaveLength(shown);
    expect(rows[0][0]).toBe("dev-0001.contoso.com");
    expect(md).toContain(`#### signatures-current: ${total.toLocaleString("en-US")} fail, 0 unknown`);
    if (more === null) expect(md).not.toContain("… and");
    else expect(md).toContain(`${more} (the json and csv report formats list all of them).`);
  });

  it.each([
    [undefined, "(the json and csv report formats list all of them)."],
    [["avhealth-report.md"], "(the json and csv report formats list all of them)."],
    [["avhealth-report.json", "avhealth-report.md"], "(all of them are in avhealth-report.json)."],
    [["avhealth-report.md", "avhealth-report.csv"], "(all of them are in avhealth-report.csv)."],
    [["avhealth-report.csv", "avhealth-report.md", "avhealth-report.json"], "(all of them are in avhealth-report.json and avhealth-report.csv)."],
  ])("after a capped list, with report files %p written, says %p", (reportFiles, note) => {
    const md = renderReport("md", makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(30))] }, { reportFiles }));
    expect(md).toContain(`… and 5 more ${note}`);
    expect(md.match(/avhealth-report\.\w+/g) ?? []).toEqual(note.match(/avhealth-report\.\w+/g) ?? []);
  });

  it("warns when the snapshot is incomplete and leaves out empty sections", () => {
    const md = renderReport("md", makeEvaluation({ gate: "fail", snapshot: makeSnapshotInfo({ complete: false }) }));
    expect(md).toContain("> ⚠️ **The snapshot is incomplete**");
    expect(md).not.toContain("### Failing devices");
    expect(md).not.toContain("### Exceptions");
    expect(md).not.toContain("### Device groups");
  });

  it("orders the worst RBAC groups by failing plus unknown, then failures, then name, and drops clean groups", () => {
    const groups = [
      makeGroup({ rbacGroupName: "b", fail: 5, unknown: 5 }),
      makeGroup({ rbacGroupName: "a", fail: 5, unknown: 5 }),
      makeGroup({ rbacGroupName: "c", fail: 10, unknown: 0 }),
      makeGroup({ rbacGroupName: "clean", fail: 0, unknown: 0 }),
      makeGroup({ rbacGroupName: "worst", fail: 1, unknown: 50 }),
    ];
    const md = renderReport("md", makeEvaluation({}, { rbacGroups: groups }));
    expect(tableAfter(md, "| Device group |").map((r) => r[0])).toEqual(["worst", "c", "a", "b"]);
  });

  it("gives the same bytes for the same input", () => {
    const first = renderReport("md", hostileEvaluation());
    expect(renderReport("md", hostileEvaluation())).toBe(first);
    expect(renderReport("md", JSON.parse(JSON.stringify(hostileEvaluation())))).toBe(first);
  });
});
