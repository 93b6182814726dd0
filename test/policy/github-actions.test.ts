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
const workflow = parse(text) as {
  on: { workflow_dispatch?: { inputs?: Record<string, { type?: string; default?: unknown }> } };
  permissions: Record<string, string>;
  jobs: { preview: { env: Record<string, string>; steps: Step[] } };
};
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

  describe("baseline and history across runs", () => {
    const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
    const preview = index((step) => step.run?.includes("pulumi preview") === true);
    const restore = index((step) => step.uses?.startsWith("actions/cache/restore@") === true);
    const compare = index((step) => step.run?.includes("AVHEALTH_BASELINE") === true);
    const keep = index((step) => step.run?.includes("cp avhealth-reports/avhealth-report.json .avhealth-state/") === true);
    const save = index((step) => step.uses?.startsWith("actions/cache/save@") === true);

    it("restores the default branch's newest state before the preview and saves it after, on the default branch only", () => {
      expect([restore, compare].every((i) => i >= 0 && i < preview)).toBe(true);
      expect(keep).toBeGreaterThan(preview);
      expect(save).toBeGreaterThan(keep);
      const restoreWith = steps[restore]?.with as Record<string, string>;
      expect(restoreWith.path).toBe(".avhealth-state");
      expect(restoreWith["restore-keys"]).toBe("avhealth-state-${{ github.event.repository.default_branch }}-");
      expect(restoreWith.key.startsWith(restoreWith["restore-keys"])).toBe(true);
      expect((steps[save]?.with as Record<string, string>).key).toBe(restoreWith.key);
      expect(steps[save]?.if).toMatch(/^always\(\) && env\.ON_DEFAULT_BRANCH == 'true'/);
      expect(env.ON_DEFAULT_BRANCH).toBe("${{ github.ref_name == github.event.repository.default_branch }}");
    });

    it("appends to the history in the restored directory and names a baseline only when one was restored", () => {
      expect(env.AVHEALTH_HISTORY).toBe(".avhealth-state/history.jsonl");
      expect(env.AVHEALTH_BASELINE).toBeUndefined();
      expect(steps[compare]?.run).toMatch(/if \[ -f \.avhealth-state\/avhealth-report\.json \]; then\n\s*echo "AVHEALTH_BASELINE=\.avhealth-state\/avhealth-report\.json" >> "\$GITHUB_ENV"/);
    });

    it("keeps a report as the next baseline only when the gate passed on the default branch, or when accepted by hand", () => {
      const condition = (steps[keep]?.if ?? "").replace(/\s+/g, " ").trim();
      expect(condition).toBe(
        "always() && env.ON_DEFAULT_BRANCH == 'true' && hashFiles('avhealth-reports/avhealth-report.json') != '' && (success() || inputs.accept-baseline)",
      );
      expect(workflow.on.workflow_dispatch?.inputs?.["accept-baseline"]).toMatchObject({ type: "boolean", default: false });
      expect(text).toContain("Accepting a new baseline");
    });
  });
});

