import { isAvHealthError } from "../../src/errors";
import { REPORT_FILE_NAMES, parseFormats } from "../../src/reports";

describe("parseFormats", () => {
  it.each([
    ["json,md", ["json", "md"]],
    ["json,md,sarif,junit,html,csv", ["json", "md", "sarif", "junit", "html", "csv"]],
    [" html , json ", ["html", "json"]],
    ["md,md,json", ["md", "json"]],
    ["csv", ["csv"]],
    ["json.gz,md,json", ["json.gz", "md", "json"]],
  ])("%j → %j", (input, expected) => {
    expect(parseFormats(input)).toEqual(expected);
  });

  it.each([
    ["json,xml", "xml"],
    ["JSON", "JSON"],
    ["json,,md", ""],
    ["", ""],
    ["pdf", "pdf"],
    ["json.zip", "json.zip"],
    ["md.gz", "md.gz"],
  ])("%j is a USAGE error naming %j and the valid formats", (input, entry) => {
    let caught: unknown;
    try {
      parseFormats(input);
    } catch (error) {
      caught = error;
    }
    expect(isAvHealthError(caught, "USAGE")).toBe(true);
    if (!isAvHealthError(caught)) return;
    expect(caught.details).toEqual({ entry, valid: ["json", "json.gz", "md", "sarif", "junit", "html", "csv"] });
    expect(caught.message).toContain(entry === "" ? "an empty entry" : `"${entry}"`);
    expect(caught.message).toContain("json, json.gz, md, sarif, junit, html, csv");
  });

  it("names the files as the spec does", () => {
    expect(REPORT_FILE_NAMES).toEqual({
      json: "avhealth-report.json",
      "json.gz": "avhealth-report.json.gz",
      md: "avhealth-report.md",
      sarif: "avhealth-report.sarif",
      junit: "avhealth-report.junit.xml",
      html: "avhealth-report.html",
      csv: "avhealth-report.csv",
    });
  });
});
