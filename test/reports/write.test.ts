import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { isAvHealthError } from "../../src/errors";
import { REPORT_FORMATS, renderReport, writeReports } from "../../src/reports";
import { serializeReport, serializeReportChunks } from "../../src/rules";
import { hostileEvaluation, makeDevices, makeEvaluation, makeFailingRule } from "./fixtures/evaluation";
import { codeOf } from "../helpers/errors";


/** Makes node:crypto's randomBytes return 0x07 bytes (the module object the code under test calls through). */
function fixRandomBytes(): void {
  const crypto = jest.requireActual<typeof import("node:crypto")>("node:crypto");
  jest.spyOn(crypto, "randomBytes").mockImplementation(((size: number) => Buffer.alloc(size, 7)) as unknown as typeof crypto.randomBytes);
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "avhealth-write-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("writeReports", () => {
  it("writes every format under its spec name into a directory it creates, and nothing else", async () => {
    const dir = path.join(root, "nested", "avhealth-reports");
    const result = hostileEvaluation();
    const jsonText = '{"kind":"avhealth-report"}\n';
    const written = await writeReports(result, { dir, formats: [...REPORT_FORMATS], jsonText });
    expect(written).toEqual({
      json: path.join(dir, "avhealth-report.json"),
      "json.gz": path.join(dir, "avhealth-report.json.gz"),
      md: path.join(dir, "avhealth-report.md"),
      sarif: path.join(dir, "avhealth-report.sarif"),
      junit: path.join(dir, "avhealth-report.junit.xml"),
      html: path.join(dir, "avhealth-report.html"),
      csv: path.join(dir, "avhealth-report.csv"),
    });
    expect(readdirSync(dir).sort()).toEqual(Object.values(written).map((f) => path.basename(f)).sort());
    expect(readFileSync(written.json, "utf8")).toBe(jsonText);
    expect(gunzipSync(readFileSync(written["json.gz"] as string)).toString("utf8")).toBe(jsonText);
    const reportFiles = Object.values(written).map((f) => path.basename(f));
    for (const format of ["md", "sarif", "junit", "html", "csv"] as const) {
      expect(readFileSync(written[format], "utf8")).toBe(renderReport(format, { ...result, reportFiles }));
    }
  });

  it.each([
    [["md"], "(the json and csv report formats list all of them)."],
    [["md", "csv"], "(all of them are in avhealth-report.csv)."],
    [["json", "md", "csv"], "(all of them are in avhealth-report.json and avhealth-report.csv)."],
  ] as const)("with formats %p the Markdown's capped list says %p", async (formats, note) => {
    const dir = path.join(root, "out");
    const jsonText = "{}\n";
    const written = await writeReports(makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(30))] }), { dir, formats, jsonText });
    expect(readFileSync(written.md, "utf8")).toContain(`… and 5 more ${note}`);
  });

  it("streams the JSON report from serializeReportChunks to the same bytes as serializeReport", async () => {
    const { report } = hostileEvaluation();
    const written = await writeReports(hostileEvaluation(), { dir: root, formats: ["json"], jsonText: () => serializeReportChunks(report) });
    expect(readFileSync(written.json, "utf8")).toBe(serializeReport(report));
    expect(readdirSync(root)).toEqual(["avhealth-report.json"]);
  });

  it("writes json.gz as the gzip of the same streamed bytes, beside or instead of the plain file", async () => {
    const { report } = hostileEvaluation();
    const both = await writeReports(hostileEvaluation(), { dir: path.join(root, "both"), formats: ["json", "json.gz"], jsonText: () => serializeReportChunks(report) });
    const compressed = readFileSync(both["json.gz"] as string);
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(compressed).toString("utf8")).toBe(serializeReport(report));
    expect(readFileSync(both.json as string, "utf8")).toBe(serializeReport(report));
    const only = await writeReports(hostileEvaluation(), { dir: path.join(root, "only"), formats: ["json.gz"], jsonText: serializeReport(report) });
    expect(readdirSync(path.join(root, "only"))).toEqual(["avhealth-report.json.gz"]);
    expect(readFileSync(only["json.gz"] as string).equals(compressed)).toBe(true);
  });

  it("with json.gz written, a capped list points at the compressed file", async () => {
    const written = await writeReports(makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(30))] }), { dir: root, formats: ["json.gz", "md"], jsonText: "{}\n" });
    expect(readFileSync(written.md as string, "utf8")).toContain("… and 5 more (all of them are in avhealth-report.json.gz).");
  });

  it("refuses json.gz without jsonText before writing anything", async () => {
    await expect(writeReports(makeEvaluation(), { dir: path.join(root, "none"), formats: ["md", "json.gz"] })).rejects.toMatchObject({ code: "USAGE" });
    expect(() => readdirSync(path.join(root, "none"))).toThrow();
  });

  it("writes only the formats asked for, resolving a relative directory", async () => {
    const relative = path.relative(process.cwd(), path.join(root, "out"));
    const written = await writeReports(makeEvaluation(), { dir: relative, formats: ["md", "csv"] });
    expect(Object.keys(written)).toEqual(["md", "csv"]);
    expect(path.isAbsolute(written.md)).toBe(true);
    expect(readdirSync(path.join(root, "out")).sort()).toEqual(["avhealth-report.csv", "avhealth-report.md"]);
  });

  it("replaces an existing report whole", async () => {
    const dir = path.join(root, "out");
    await writeReports(makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(3000))] }), { dir, formats: ["csv"] });
    const written = await writeReports(makeEvaluation(), { dir, formats: ["csv"] });
    expect(readFileSync(written.csv, "utf8")).toBe(renderReport("csv", makeEvaluation()));
    expect(readdirSync(dir)).toEqual(["avhealth-report.csv"]);
  });

  it("streams a large CSV to the same bytes the renderer gives", async () => {
    const result = makeEvaluation({ gate: "fail", rules: [makeFailingRule(makeDevices(9000))] });
    const written = await writeReports(result, { dir: root, formats: ["csv"] });
    const text = readFileSync(written.csv, "utf8");
    expect(text.length).toBeGreaterThan(1 << 20); // more than one flush
    expect(text).toBe(renderReport("csv", result));
  });

  it("refuses the json format without the serialized JSON, before writing anything", async () => {
    const dir = path.join(root, "out");
    expect(await codeOf(writeReports(makeEvaluation(), { dir, formats: ["md", "json"] }))).toBe("USAGE");
    expect(() => readdirSync(dir)).toThrow();
  });

  it("reports a directory that cannot be made as a USAGE error naming it, and leaves no temporary file", async () => {
    const file = path.join(root, "a-file");
    writeFileSync(file, "x");
    let caught: unknown;
    await writeReports(makeEvaluation(), { dir: path.join(file, "sub"), formats: ["md"] }).catch((error: unknown) => (caught = error));
    expect(isAvHealthError(caught, "USAGE")).toBe(true);
    if (isAvHealthError(caught)) expect(caught.details).toEqual({ path: path.join(file, "sub"), errno: "ENOTDIR" });
    expect(readdirSync(root)).toEqual(["a-file"]);
  });

  it("cleans up its temporary file when the rename fails", async () => {
    const dir = path.join(root, "out");
    // A directory where the report file should go makes the rename fail after the temporary file is written.
    const blocker = path.join(dir, "avhealth-report.md", "x");
    mkdirSync(blocker, { recursive: true });
    expect(await codeOf(writeReports(makeEvaluation(), { dir, formats: ["md"] }))).toBe("USAGE");
    expect(readdirSync(dir)).toEqual(["avhealth-report.md"]);
  });

  describe("file permissions (reports list devices)", () => {
    afterEach(() => jest.restoreAllMocks());

    it("writes every report readable by its owner only, in directories only its owner can enter", async () => {
      const dir = path.join(root, "nested", "avhealth-reports");
      const written = await writeReports(hostileEvaluation(), { dir, formats: [...REPORT_FORMATS], jsonText: "{}\n" });
      expect(Object.values(written).map((f) => [path.basename(f), statSync(f).mode & 0o777])).toEqual(
        Object.values(written).map((f) => [path.basename(f), 0o600]),
      );
      expect([statSync(path.join(root, "nested")).mode & 0o777, statSync(dir).mode & 0o777]).toEqual([0o700, 0o700]);
    });

    it("never writes through a file or link planted at a temp name", async () => {
      fixRandomBytes();
      const victim = path.join(root, "victim.txt");
      writeFileSync(victim, "precious");
      const dir = path.join(root, "out");
      mkdirSync(dir);
      for (const name of ["avhealth-report.md", "avhealth-report.csv", "avhealth-report.json"]) {
        symlinkSync(victim, path.join(dir, `.${name}.${process.pid}-07070707.tmp`));
      }
      for (const formats of [["md"], ["csv"], ["json"]] as const) {
        expect(await codeOf(writeReports(makeEvaluation(), { dir, formats, jsonText: "{}\n" }))).toBe("USAGE");
        expect(readFileSync(victim, "utf8")).toBe("precious");
        expect(() => lstatSync(path.join(dir, `avhealth-report.${formats[0]}`))).toThrow(/ENOENT/);
      }
    });
  });
});
