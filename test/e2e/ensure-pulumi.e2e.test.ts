/**
 * scripts/ensure-pulumi's contract, on the paths that do not build (a build takes many minutes; CI's first
 * run of the script is that test): an installed toolchain on PATH is used as it is and printed as the last
 * stdout line; with neither a CLI nor Go it fails with a message that says what to install.
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { REPO_ROOT, pulumiBinDir } from "./helpers/toolchain";

const SCRIPT = join(REPO_ROOT, "scripts", "ensure-pulumi");
// Everything the script calls besides pulumi and go, so a PATH can be built that certainly lacks those two.
const BASE_TOOLS = ["bash", "node", "dirname", "date", "cat", "sha256sum", "cut", "mktemp", "flock", "mkdir",
  "sort", "head", "tail", "chmod", "mv", "rm", "ln", "printf"];

function basePath(dir: string): string {
  mkdirSync(dir);
  for (const tool of BASE_TOOLS) {
    const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    if (found.startsWith("/")) {
      symlinkSync(found, join(dir, tool));
    }
  }
  return dir;
}

jest.setTimeout(5 * 60 * 1000);

function ensure(env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("/bin/bash", [SCRIPT], { env, encoding: "utf8", timeout: 4 * 60 * 1000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("scripts/ensure-pulumi", () => {
  let cache: string;

  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), "avhealth-toolchain-cache-"));
  });
  afterEach(() => {
    rmSync(cache, { recursive: true, force: true });
  });

  it("uses a toolchain already on PATH and prints its directory as the last stdout line", () => {
    const bin = pulumiBinDir();
    const r = ensure({
      PATH: [bin, basePath(join(cache, "path"))].join(":"),
      HOME: cache,
      AVHEALTH_TOOLCHAIN_CACHE: cache,
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/using the installed Pulumi CLI v3\.\d+\.\d+/),
    });
    expect(r.stdout.trim().split("\n").pop()).toBe(bin);
  });

  it("fails with exit 1 and says what to install when there is neither a CLI nor Go", () => {
    const r = ensure({
      PATH: basePath(join(cache, "path")),
      HOME: cache,
      AVHEALTH_TOOLCHAIN_CACHE: cache,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no Go toolchain to build one");
    expect(r.stderr).toContain("install the Pulumi CLI");
  });
});
