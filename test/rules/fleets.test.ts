/**
 * Fixture fleets as data: each folder under fleets/ holds a rules.yaml and cases/*.yaml (the `avhealth test`
 * format) with expected statuses and counts. This one test runs them all through the real loader and
 * evaluator; a folder whose cases stop matching fails with the runner's own differences.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runRuleCases } from "../../src/rules";

const ROOT = join(__dirname, "fleets");
const TOPICS = readdirSync(ROOT).sort();

describe("fixture fleets", () => {
  it("covers every topic the engine promises", () => {
    expect(TOPICS).toEqual(["dns-case", "exceptions", "min-devices", "staleness", "three-valued", "thresholds", "unknown-exclude", "unknown-fail", "unknown-pass", "versions"]);
  });

  it.each(TOPICS)("%s", async (topic) => {
    const outcome = await runRuleCases(join(ROOT, topic, "rules.yaml"), join(ROOT, topic, "cases"));
    const failures = outcome.results.filter((r) => !r.passed).map((r) => `${r.name}\n  ${r.differences.join("\n  ")}`);
    expect(failures).toEqual([]);
    expect(outcome.results.length).toBeGreaterThan(0);
    expect(outcome.passed).toBe(outcome.results.length);
  });
});
