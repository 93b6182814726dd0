/**
 * A test-only Python virtual environment with `cryptography` from PyPI, for checking our envelopes against an
 * implementation we did not write. Created once under the user's cache (scripts/setup creates it too).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const CRYPTOGRAPHY_VERSION = "50.0.2";

export function interopPython(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  const dir = path.join(base, "pulumi-defender-avhealth", `interop-venv-cryptography-${CRYPTOGRAPHY_VERSION}`);
  const python = path.join(dir, "bin", "python");
  if (!fs.existsSync(path.join(dir, ".ready"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync("python3", ["-m", "venv", dir], { stdio: "pipe" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `cryptography==${CRYPTOGRAPHY_VERSION}`], { stdio: "pipe", timeout: 300_000 });
    fs.writeFileSync(path.join(dir, ".ready"), CRYPTOGRAPHY_VERSION);
  }
  return python;
}
