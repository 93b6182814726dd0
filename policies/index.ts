// The policy pack of this repository, built from the library in ../dist (`npm run build` first). In your own
// repository, `avhealth init-pack DIR` writes the same call, importing "pulumi-defender-avhealth/policy".
// Rules: compliance.yaml beside this file, or AVHEALTH_RULES_FILE, or `pulumi config set avhealth:rulesFile PATH`.
// A stack without a DeviceAvHealth resource is judged on a snapshot the pack takes itself (fleetSource auto).
import { createAvHealthPolicyPack } from "../dist/src/policy";

// Exported so the policy runtime awaits it and reports a start-up failure as the pack's error.
export = createAvHealthPolicyPack({ packDir: __dirname });
