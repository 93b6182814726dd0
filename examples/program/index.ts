/**
 * A stack gated on the antivirus health of a Microsoft Defender for Endpoint fleet.
 *
 * Credentials: `pulumi config set avhealth:tenantId ...`, `pulumi config set avhealth:clientId ...` and
 * `pulumi config set --secret avhealth:clientSecret ...`, or the AZURE_* variables (in CI: GitHub OIDC federated
 * credentials, no secret at all; see ../github-actions/avhealth-gate.yml).
 * Gate: `npx avhealth init-pack policy`, then `pulumi preview --policy-pack policy`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeviceAvHealth, getDeviceAvHealth, type SnapshotSummary } from "pulumi-defender-avhealth/provider";

const config = new pulumi.Config();
const cacheTtl = config.get("cacheTtl") ?? "5m";

// The data source. The policy pack evaluates its snapshot during every preview and update, writes the reports
// to avhealth-reports/, and fails the deployment when a mandatory rule of policy/compliance.yaml fails.
const fleet = new DeviceAvHealth("fleet", {
  // Optional OData filter (JSON method), e.g. "rbacGroupName eq 'Prod'".
  filter: config.get("filter"),
  // The preview and update passes of one `pulumi up` share one fetch.
  cacheTtl,
});

// The resources this stack really manages would go here, recording which fleet snapshot approved them, e.g.
//   new aws.ecs.Service("api", { ..., tags: { "avhealth-digest": fleet.snapshot.digest } }, { dependsOn: [fleet] });
// A change of the fleet's digest then shows in the preview next to the change it gated.

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((10000 * part) / whole) / 100;
}

export const deviceCount = fleet.deviceCount;
export const snapshotDigest = fleet.snapshot.digest;
export const signaturesCurrentPercent = fleet.summary.apply((s: SnapshotSummary) => percent(s.bySignatureUpToDate.true, s.deviceCount));
export const staleDevices = fleet.summary.apply((s: SnapshotSummary) => s.stale);

// The same data as a plain async function, for decisions while the program runs (same credentials, same cache):
// here, hold a canary rollout back while more than 5% of devices have not reported for a week.
const health = getDeviceAvHealth({ filter: config.get("filter"), cacheTtl });
export const canaryRolloutAllowed = health.then((h) => percent(h.summary.stale, h.deviceCount) <= 5);
