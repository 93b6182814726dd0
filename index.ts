/**
 * The demo program of pulumi-defender-avhealth: `npm run demo` previews it with the policy pack in policies/.
 *
 * DeviceAvHealth takes a snapshot of every device's antivirus health (credentials from `avhealth:*` stack config
 * or the AZURE_* environment). The policy pack evaluates policies/compliance.yaml against that snapshot, writes
 * the reports to avhealth-reports/, and fails the preview when a mandatory rule fails.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeviceAvHealth, type MethodChoice } from "./provider";
import { complianceByRule } from "./src/policy/compliance";

const config = new pulumi.Config();

const fleet = new DeviceAvHealth("fleet", {
  method: config.get("method") as MethodChoice | undefined,
  filter: config.get("filter"),
  cacheTtl: config.get("cacheTtl"),
});

// How a real stack depends on the fleet: the pack gates the whole deployment, so nothing is created or changed
// while a mandatory rule fails. Resources can also record which fleet snapshot approved them, e.g.
//   new aws.ecs.Service("api", { ..., tags: { "avhealth-digest": fleet.snapshot.digest } });
// and a change of the fleet's digest then shows in the preview next to the change it gated.

export const deviceCount = fleet.deviceCount;
export const snapshot = fleet.snapshot.apply((s) => ({ digest: s.digest, method: s.method, complete: s.complete, fetchedAt: s.fetchedAt }));
export const signaturesUpToDate = fleet.summary.apply((s) => s.bySignatureUpToDate);
export const avModes = fleet.summary.apply((s) => s.byAvMode);
/** Per rule of the pack's rule file: status, percent, enforcement and counts, the same figures as the reports. */
export const compliance = fleet.snapshot.apply((s) => complianceByRule({ packDir: `${__dirname}/policies`, snapshot: s }));
