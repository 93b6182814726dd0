/** The publish-once examples: a scheduled publisher with OIDC and the key as a secret; a gate with no Defender credential. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

const dir = path.join(__dirname, "..", "..", "examples", "publish");
const read = (name: string) => {
  const text = fs.readFileSync(path.join(dir, name), "utf8");
  return { text, workflow: parse(text) as Workflow };
};

describe("examples/publish", () => {
  it("publisher.yml runs on a cron schedule with OIDC, and the signing key only as a secret", () => {
    const { text, workflow } = read("publisher.yml");
    expect((workflow.on.schedule as Array<{ cron: string }>)[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(workflow.permissions["id-token"]).toBe("write");
    const steps = workflow.jobs.publish!.steps;
    const login = steps.findIndex((s) => s.uses?.startsWith("azure/login@") === true);
    const publish = steps.findIndex((s) => s.run?.includes(" publish --to ") === true);
    expect(login).toBeGreaterThanOrEqual(0);
    expect(publish).toBeGreaterThan(login);
    expect(steps[publish]!.env?.AVHEALTH_SIGNING_KEY).toBe("${{ secrets.AVHEALTH_SIGNING_KEY }}");
    expect(text).not.toMatch(/AZURE_CLIENT_SECRET|BEGIN PRIVATE KEY/);
  });

  it("gate-signed.yml holds no Defender credential and no OIDC permission", () => {
    const { text, workflow } = read("gate-signed.yml");
    expect(workflow.permissions["id-token"]).toBeUndefined();
    expect(text).not.toMatch(/AZURE_TENANT_ID|AZURE_CLIENT_ID|AZURE_CLIENT_SECRET|azure\/login/);
    const preview = workflow.jobs.preview!.steps.find((s) => s.run?.includes("pulumi preview") === true);
    expect(preview?.run).toMatch(/--policy-pack \.avhealth-pack$/);
    expect(preview?.env?.AVHEALTH_STORE_SAS).toBe("${{ secrets.AVHEALTH_STORE_SAS }}");
    expect(text).toContain("signed:");
  });
});
