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
const previewStep = steps.find((s) => s.run?.includes("pulumi preview") === true) as Step;

describe("examples/org-gate/gate-any-stack.yml", () => {
  it("signs in with the job's OIDC token: ids from variables, on the preview step only, no Defender secret", () => {
    expect(workflow.permissions["id-token"]).toBe("write");
    expect(previewStep.env?.AZURE_TENANT_ID).toMatch(/^\$\{\{ vars\./);
    expect(previewStep.env?.AZURE_CLIENT_ID).toMatch(/^\$\{\{ vars\./);
    expect(Object.keys(env).filter((key) => key.startsWith("AZURE_"))).toEqual([]);
    expect(text).not.toMatch(/AZURE_CLIENT_SECRET|AZURE_CLIENT_CERTIFICATE|avhealth:clientSecret/);
  });

  it("takes the pack from a repository and commit written in the file, never from a variable the gated repository sets", () => {
    const pack = steps.find((s) => s.uses?.startsWith("actions/checkout@") === true && s.with?.path === ".avhealth-pack");
    expect(pack?.with?.repository).toBe("contoso/avhealth-pack");
    expect(String(pack?.with?.ref)).toMatch(/^[0-9a-f]{40}$/);
    for (const step of steps) expect(JSON.stringify(step.with ?? {})).not.toContain("${{");
  });

  it("runs no install script of the stack or the pack before the gate", () => {
    const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
    const pack = index((s) => s.uses?.startsWith("actions/checkout@") === true && s.with?.path === ".avhealth-pack");
    const install = index((s) => s.run === "npm ci --prefix .avhealth-pack --ignore-scripts");
    const deps = index((s) => s.run === "pip install --only-binary=:all: -r requirements.txt");
    const preview = steps.indexOf(previewStep);
    expect([pack, install, deps].every((i) => i >= 0 && i < preview)).toBe(true);
    expect(previewStep.run).toMatch(/--policy-pack \.avhealth-pack$/);
    expect(previewStep.if).toBeUndefined();
    expect(text).not.toMatch(/DeviceAvHealth\(/);
  });

  it("uploads the reports even when the gate fails", () => {
    const upload = steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
  });
});
