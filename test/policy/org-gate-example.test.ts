/** The org-wide GitHub Actions example: a non-TypeScript stack gated by the platform team's pack, with OIDC. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

interface Step {
  name?: string;
  env?: Record<string, string>;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

const file = path.join(__dirname, "..", "..", "examples", "org-gate", "gate-any-stack.yml");
const text = fs.readFileSync(file, "utf8");
const workflow = parse(text) as { permissions: Record<string, string>; jobs: { preview: { env: Record<string, string>; steps: Step[] } } };
const { env, steps } = workflow.jobs.preview;

describe("examples/org-gate/gate-any-stack.yml", () => {
  it("signs in with the job's OIDC token: ids from variables, no Defender secret", () => {
    expect(workflow.permissions["id-token"]).toBe("write");
    expect(env.AZURE_TENANT_ID).toMatch(/^\$\{\{ vars\./);
    expect(env.AZURE_CLIENT_ID).toMatch(/^\$\{\{ vars\./);
    expect(text).not.toMatch(/AZURE_CLIENT_SECRET|AZURE_CLIENT_CERTIFICATE|avhealth:clientSecret/);
  });

  it("gates a Python stack with the pack checked out from its own repository and installed with npm", () => {
    const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
    const pack = index((s) => s.uses?.startsWith("actions/checkout@") === true && s.with?.path === ".avhealth-pack");
    const install = index((s) => s.run === "npm ci --prefix .avhealth-pack");
    const python = index((s) => s.uses?.startsWith("actions/setup-python@") === true);
    const preview = index((s) => s.run?.includes("pulumi preview") === true);
    expect([pack, install, python].every((i) => i >= 0 && i < preview)).toBe(true);
    expect(steps[preview].run).toMatch(/--policy-pack \.avhealth-pack$/);
    expect(steps[preview].if).toBeUndefined();
    expect(steps[preview].env?.AVHEALTH_CACHE_DIR).toBe("${{ runner.temp }}/avhealth-cache");
    expect(text).not.toMatch(/DeviceAvHealth\(/);
  });

  it("uploads the reports even when the gate fails", () => {
    const upload = steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
  });
});
