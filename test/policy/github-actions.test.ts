/** The GitHub Actions example: a gate with federated (OIDC) credentials, no secret for Defender, reports uploaded. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

const file = path.join(__dirname, "..", "..", "examples", "github-actions", "avhealth-gate.yml");
const text = fs.readFileSync(file, "utf8");
const workflow = parse(text) as { permissions: Record<string, string>; jobs: { preview: { env: Record<string, string>; steps: Step[] } } };
const { env, steps } = workflow.jobs.preview;

describe("examples/github-actions/avhealth-gate.yml", () => {
  it("signs in to Entra ID with the job's OIDC token and no client secret or certificate", () => {
    expect(workflow.permissions["id-token"]).toBe("write");
    expect(env.AZURE_TENANT_ID).toBe("${{ vars.AZURE_TENANT_ID }}");
    expect(env.AZURE_CLIENT_ID).toBe("${{ vars.AZURE_CLIENT_ID }}");
    expect(text).not.toMatch(/AZURE_CLIENT_SECRET|AZURE_CLIENT_CERTIFICATE|avhealth:clientSecret/);
  });

  it("runs the preview with the policy pack, as the gate", () => {
    const preview = steps.find((step) => step.run?.includes("pulumi preview"));
    expect(preview?.run).toMatch(/--policy-pack policy\b/);
    expect(preview?.if).toBeUndefined();
  });

  it("uploads the reports even when the gate fails", () => {
    const upload = steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    expect(upload?.with?.path).toBe("avhealth-reports/");
  });
});
