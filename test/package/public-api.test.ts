/**
 * The package's entry points as a user loads them from dist/ (npm test builds first): the main entry exposes the
 * library without loading the Pulumi SDK, which stays an optional peer for CLI-only users.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

function inNode(script: string): string {
  return execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
}

describe("package entry points", () => {
  it("the main entry exports the library and loads no Pulumi SDK", () => {
    const out = inNode(`
      const lib = require("pulumi-defender-avhealth");
      const pulumiLoaded = Object.keys(require.cache).some((f) => f.includes("@pulumi"));
      console.log(JSON.stringify({ keys: Object.keys(lib).sort(), pulumiLoaded }));
    `);
    const { keys, pulumiLoaded } = JSON.parse(out) as { keys: string[]; pulumiLoaded: boolean };
    expect(pulumiLoaded).toBe(false);
    for (const name of ["fetchSnapshotWithConfig", "readSnapshot", "loadRuleFile", "evaluate", "serializeReport", "loadBaseline", "writeReports", "startEmulator", "isAvHealthError", "runCli", "publishSnapshot", "verifyPublication", "signEnvelope", "openStore"]) {
      expect(keys).toContain(name);
    }
  });

  it("the provider and policy subpaths resolve by the package's own name", () => {
    const out = inNode(`
      const provider = require("pulumi-defender-avhealth/provider");
      const policy = require("pulumi-defender-avhealth/policy");
      console.log(JSON.stringify({ resource: typeof provider.DeviceAvHealth, get: typeof provider.getDeviceAvHealth, pack: typeof policy.createAvHealthPolicyPack }));
    `);
    expect(JSON.parse(out)).toEqual({ resource: "function", get: "function", pack: "function" });
  });

  it("the avhealth bin prints its version", () => {
    const version = execFileSync(process.execPath, [path.join(ROOT, "bin/avhealth.js"), "--version"], { encoding: "utf8" }).trim();
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(version).toBe(pkg.version);
  });
});
