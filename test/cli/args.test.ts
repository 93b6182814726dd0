import { choiceFlag, nowFlag, parseFlags, requireFlag } from "../../src/cli/args";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes";
import { ErrorCodes, isAvHealthError } from "../../src/errors";

function usageError(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isAvHealthError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a USAGE error");
}

describe("parseFlags", () => {
  const spec = { rules: { type: "string" as const }, verbose: { type: "boolean" as const } };

  it("reads string and boolean flags", () => {
    const flags = parseFlags("check", ["--rules", "a.yaml", "--verbose"], spec);
    expect(flags.values.rules).toBe("a.yaml");
    expect(flags.values.verbose).toBe(true);
  });

  it.each([
    [["--nope"], /^unknown option --nope\n/],
    [["--rule", "a.yaml"], /^unknown option --rule \(did you mean --rules\?\)\nUsage: avhealth check --rules FILE/],
    [["--rules"], /--rules/],
    [["stray"], /unexpected argument "stray"/],
    [["--verbose=yes"], /^--verbose takes no value\n/],
    [["--rules"], /^--rules needs a value\n/],
  ])("rejects %j as bad usage", (argv, pattern) => {
    const error = usageError(() => parseFlags("check", argv, spec));
    expect(error.code).toBe(ErrorCodes.USAGE);
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain("avhealth check --help");
  });

  it("requires a flag by name", () => {
    const flags = parseFlags("validate", [], spec);
    expect(usageError(() => requireFlag("validate", flags, "rules")).message).toContain("--rules is required");
  });

  it("checks choices", () => {
    const flags = parseFlags("fetch", ["--method", "csv"], { method: { type: "string" } });
    expect(usageError(() => choiceFlag("fetch", flags, "method", ["auto", "json", "files"], "auto")).message).toContain(
      "--method must be one of auto, json, files",
    );
    expect(choiceFlag("fetch", parseFlags("fetch", [], { method: { type: "string" } }), "method", ["auto", "json"], "auto")).toBe("auto");
  });

  it.each([
    ["2026-11-27", "2026-11-27T00:00:00.000Z"],
    ["2026-11-27T12:30:00Z", "2026-11-27T12:30:00.000Z"],
  ])("--now %s", (value, iso) => {
    const flags = parseFlags("check", ["--now", value], { now: { type: "string" } });
    expect(nowFlag("check", flags, () => new Date(0)).toISOString()).toBe(iso);
  });

  it.each(["yesterday", "27/11/2026", "2026-13-45"])("--now %s is bad usage", (value) => {
    const flags = parseFlags("check", ["--now", value], { now: { type: "string" } });
    expect(usageError(() => nowFlag("check", flags, () => new Date(0))).code).toBe(ErrorCodes.USAGE);
  });

  it("defaults --now to the clock", () => {
    const flags = parseFlags("check", [], { now: { type: "string" } });
    expect(nowFlag("check", flags, () => new Date("2030-01-02T03:04:05Z")).toISOString()).toBe("2030-01-02T03:04:05.000Z");
  });
});

describe("exit codes", () => {
  it.each([
    [ErrorCodes.AUTH_FAILED, ExitCode.AUTH],
    [ErrorCodes.AUTH_FORBIDDEN, ExitCode.AUTH],
    [ErrorCodes.AUTH_MISSING_CONFIG, ExitCode.AUTH],
    [ErrorCodes.RULES_INVALID, ExitCode.USAGE],
    [ErrorCodes.USAGE, ExitCode.USAGE],
    [ErrorCodes.HTTP_RETRIES_EXHAUSTED, ExitCode.INCOMPLETE],
    [ErrorCodes.EXPORT_PART_FAILED, ExitCode.INCOMPLETE],
    ["SOMETHING_NEW", ExitCode.INCOMPLETE],
  ])("%s exits %i", (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });
});
