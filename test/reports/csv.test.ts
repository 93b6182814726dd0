import { CSV_HEADER, csvLines, renderReport } from "../../src/reports";
import { HOSTILE_NAMES, hostileEvaluation, makeDevices, makeEvaluation, makeFailingRule, makeRule } from "./fixtures/evaluation";

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  const endField = (): void => {
    record.push(field);
    field = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          break;
        } else {
          field += text[i];
          i += 1;
        }
      }
      i += 1;
      if (i < text.length && text[i] !== "," && text[i] !== "\r") throw new Error(`garbage after quoted field at ${i}`);
    } else if (c === ",") {
      endField();
      i += 1;
    } else if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`bare CR at ${i}`);
      endField();
      records.push(record);
      record = [];
      i += 2;
    } else if (c === "\n" || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} in unquoted field at ${i}`);
    } else {
      field += c;
      i += 1;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("last record does not end with CRLF");
  return records;
}

describe("renderReport csv", () => {
  it("has the header, one row per rule and failing device, and a row for rules without failing devices", () => {
    const rows = parseCsv(renderReport("csv", hostileEvaluation()));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    // The first nine columns as before; routing facts and the rule's fail/unknown counts after them.
    expect(rows[0]).toEqual([
      "ruleId", "ruleStatus", "enforcement", "machineId", "computerDnsName", "outcome", "reason", "percentDelta", "change",
      "rbacGroupName", "osPlatform", "lastSeenTime", "ruleFail", "ruleUnknown",
    ]);
    expect(rows).toHaveLength(1 + 7 + 3 + 1 + 1);
    expect(rows.every((r) => r.length === 14)).toBe(true);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      ...Array(7).fill("signatures-current"),
      ...Array(3).fill("quick-scan-7d"),
      "full-scan-30d",
      "engine-current",
    ]);
    expect(rows[11]).toEqual(["full-scan-30d", "indeterminate", "mandatory", "", "", "", "", "", "", "", "", "", "0", "0"]);
    expect(rows[12]).toEqual(["engine-current", "disabled", "disabled", "", "", "", "", "", "", "", "", "", "", ""]);
    expect(rows[1]?.slice(9)).toEqual([HOSTILE_NAMES.html, "Windows11", "2026-05-30T10:00:00Z", "7", "0"]);
    expect(rows[7]?.slice(9)).toEqual(["", "", "", "7", "0"]);
  });

  it("round-trips hostile names exactly, except that formula starts are neutralised", () => {
    const rows = parseCsv(renderReport("csv", hostileEvaluation())).slice(1, 8);
    // Fail before unknown, by name within each.
    expect(rows.map((r) => r[4])).toEqual([
      HOSTILE_NAMES.html,
      HOSTILE_NAMES.cdata,
      HOSTILE_NAMES.nonAscii,
      HOSTILE_NAMES.table,
      `'${HOSTILE_NAMES.formula}`,
      HOSTILE_NAMES.markdown,
      "",
    ]);
    expect(rows.map((r) => r[5])).toEqual(["fail", "fail", "fail", "unknown", "unknown", "unknown", "unknown"]);
    // The machine group is device-supplied: neutralised like the name.
    expect(rows.map((r) => r[9])).toEqual([...rows.slice(0, 6).map((r) => r[4]), ""]);
  });

  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])("neutralises a value starting like a formula: %j", (name) => {
    const rows = parseCsv(renderReport("csv", makeEvaluation({ rules: [makeFailingRule([{ machineId: "m", computerDnsName: name, outcome: "fail", reason: name }])] })));
    expect(rows[1][4]).toBe(`'${name}`);
    expect(rows[1][6]).toBe(`'${name}`);
  });

  it("lists every failing device, uncapped", () => {
    const result = makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(1500)), makeRule({ id: "b" })] });
    const rows = parseCsv(renderReport("csv", result));
    expect(rows).toHaveLength(1 + 1500 + 1);
    expect(rows[1500][4]).toBe("dev-1500.contoso.com");
  });

  it("streams the same bytes it renders, and the same bytes every time", () => {
    const result = hostileEvaluation();
    const rendered = renderReport("csv", result);
    expect([...csvLines(result)].join("")).toBe(rendered);
    expect(renderReport("csv", hostileEvaluation())).toBe(rendered);
    expect(rendered.charCodeAt(0)).toBe("r".charCodeAt(0)); // no byte-order mark
  });
});
