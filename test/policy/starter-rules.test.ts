/** The pack's rule file (also init-pack's starter) is the documented starter and passes its rule cases. */
import * as fs from "node:fs";
import * as path from "node:path";
import { runRuleCases } from "../../src/rules";

const ROOT = path.join(__dirname, "..", "..");
const rulesOnly = (file: string) => {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return text.slice(text.indexOf("version: 1\n"));
};

describe("policies/compliance.yaml", () => {
  it("holds the same rules as examples/rules/compliance.yaml", () => {
    expect(rulesOnly("policies/compliance.yaml")).toBe(rulesOnly("examples/rules/compliance.yaml"));
  });

  it("passes every rule case of examples/rules/cases", async () => {
    const outcome = await runRuleCases(path.join(ROOT, "policies", "compliance.yaml"), path.join(ROOT, "examples", "rules", "cases"));
    expect(outcome.results.filter((r) => !r.passed).flatMap((r) => [r.name, ...r.differences])).toEqual([]);
    expect(outcome.failed).toBe(0);
    expect(outcome.passed).toBeGreaterThan(0);
  });
});
