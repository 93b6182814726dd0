/**
 * Finds the directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`:
 * $AVHEALTH_PULUMI_BIN when set (CI exports it after running scripts/ensure-pulumi), otherwise the last stdout
 * line of scripts/ensure-pulumi, run once per test process (a cached toolchain answers in about a second;
 * a first build takes many minutes, which is why CI builds it before the tests).
 */
import { execFileSync } from "child_process";
import { accessSync, constants } from "fs";
import { join, resolve } from "path";

export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
export const PULUMI_VERSION = "3.248.0";
const REQUIRED = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

let cached: string | undefined;

function assertToolchain(dir: string, origin: string): void {
  for (const name of REQUIRED) {
    try {
      accessSync(join(dir, name), constants.X_OK);
    } catch {
      throw new Error(`${origin}: ${join(dir, name)} is missing or not executable; run scripts/ensure-pulumi`);
    }
  }
}

export function pulumiBinDir(): string {
  if (cached !== undefined) {
    return cached;
  }
  const fromEnv = process.env.AVHEALTH_PULUMI_BIN;
  if (fromEnv !== undefined && fromEnv !== "") {
    assertToolchain(fromEnv, "AVHEALTH_PULUMI_BIN");
    cached = fromEnv;
    return fromEnv;
  }
  const stdout = execFileSync("bash", [join(REPO_ROOT, "scripts", "ensure-pulumi")], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    // A first build from Go modules on two cores takes tens of minutes.
    timeout: 60 * 60 * 1000,
  });
  const lines = stdout.trim().split("\n");
  const dir = lines[lines.length - 1]?.trim() ?? "";
  assertToolchain(dir, "scripts/ensure-pulumi");
  cached = dir;
  return dir;
}
