import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAvHealthError, type ErrorCode } from "../../errors";
import { loadRuleFile, loadRuleText } from "./load";
import type { Problem } from "./problems";
import { makeDevice, TEST_NOW } from "../testing/make-device";
import { FAIL } from "../types";

/** Loads hostile text and returns the error code, the first problem and how long the refusal took. */
function refuse(text: string): { code: ErrorCode; problem: Problem; ms: number } {
  const started = process.hrtime.bigint();
  try {
    loadRuleText(text, "hostile.yaml");
  } catch (error) {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!isAvHealthError(error)) throw error;
    return { code: error.code, problem: (error.details.problems as Problem[])[0] as Problem, ms };
  }
  throw new Error("hostile input was accepted");
}

const VALID_TAIL = "rules:\n  - { id: r, description: d, require: { avMode: active } }\n";

describe("hostile rule files", () => {
  it("refuses a YAML alias bomb before expanding it", () => {
    let text = "version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const { code, problem, ms } = refuse(text + VALID_TAIL);
    expect(code).toBe("RULES_INVALID");
    expect(problem.message).toContain("too many alias expansions");
    expect(ms).toBeLessThan(1000);
  });

  it("refuses text over 1 MiB before parsing it", () => {
    const { code, problem, ms } = refuse(`version: 1\n# ${"x".repeat(1024 * 1024)}\n${VALID_TAIL}`);
    expect(code).toBe("RULES_TOO_LARGE");
    expect(problem.message).toContain("the limit is 1048576 bytes");
    expect(ms).toBeLessThan(200);
  });

  it("refuses a file over 1 MiB without reading it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "avhealth-rules-"));
    const file = join(dir, "big.yaml");
    writeFileSync(file, `version: 1\n# ${"x".repeat(1024 * 1024 + 1)}\n`);
    const error = await loadRuleFile(file).catch((e: unknown) => e);
    expect(isAvHealthError(error, "RULES_TOO_LARGE")).toBe(true);
  });

  it.each([
    ["__proto__", 'version: 1\n__proto__: { polluted: true }\n'],
    ["constructor", "version: 1\nsettings:\n  constructor: { prototype: { polluted: true } }\n"],
    ["prototype in a condition", `version: 1\nrules:\n  - { id: r, description: d, require: { prototype: 1 } }\n`],
  ])("refuses a %s key and pollutes nothing", (_name, text) => {
    const { code, problem } = refuse(text + (text.includes("rules:") ? "" : VALID_TAIL));
    expect(code).toBe("RULES_INVALID");
    expect(problem.message).toMatch(/is never a valid key$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["flow sequences", `version: 1\nx: ${"[".repeat(400_000)}${"]".repeat(400_000)}\n`],
    ["flow maps", `version: 1\nx: ${"{a: ".repeat(200_000)}1${"}".repeat(200_000)}\n`],
    ["block sequences", `version: 1\nx:\n  ${"- ".repeat(300_000)}x\n`],
  ])("refuses deeply nested %s fast", (_name, text) => {
    const { code, problem, ms } = refuse(text);
    expect(code).toBe("RULES_INVALID");
    expect(problem.message).toContain("nesting deeper than 100 levels");
    expect(ms).toBeLessThan(500);
  });

  it("refuses deep block indentation without a stack overflow", () => {
    const lines = ["version: 1", "x:"];
    for (let i = 1; i < 1300; i++) lines.push(`${" ".repeat(i)}k:`);
    const { code, ms } = refuse(lines.join("\n"));
    expect(code).toBe("RULES_INVALID");
    expect(ms).toBeLessThan(2000);
  });

  it("refuses a condition nested past the cap", () => {
    let condition = "{ avMode: active }";
    for (let i = 0; i < 45; i++) condition = `{ any: [${condition}] }`;
    const { code, problem } = refuse(`version: 1\nrules:\n  - { id: r, description: d, require: ${condition} }\n`);
    expect(code).toBe("RULES_INVALID");
    expect(problem.message).toMatch(/nested deeper than (32|100) levels/);
  });

  it.each([["(a+)+$"], ["(.*a){12}"], ["([a-z]+)*\\."], ["(a|aa)+"]])("accepts the classic catastrophic regex %p and matches it in linear time", (pattern) => {
    const text = `version: 1\nrules:\n  - { id: r, description: d, require: { computerDnsName: { regex: ${JSON.stringify(pattern)} } } }\n`;
    const rule = loadRuleText(text, "hostile.yaml").rules[0];
    // The value that makes a backtracking engine take exponential time: a long run that almost matches.
    const device = makeDevice({ computerDnsName: `${"a".repeat(50_000)}!` });
    const started = process.hrtime.bigint();
    expect(rule?.require.test(device, { nowMs: TEST_NOW.getTime() })).toBe(FAIL);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });

  it("refuses a stream of several documents", () => {
    const { code, problem } = refuse(`version: 1\n${VALID_TAIL}---\nversion: 1\n`);
    expect(code).toBe("RULES_INVALID");
    expect(problem.message).toMatch(/^YAML: /);
  });
});
