/**
 * scripts/ensure-pulumi's contract, on the paths that do not build the CLI (a build takes many minutes; CI's
 * first run of the script is that test): an installed toolchain on PATH is used as it is and printed as the last
 * stdout line; a cache made before the YAML language host was part of the toolchain is completed, not rebuilt;
 * with neither a CLI nor Go it fails with a message that says what to install.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { REPO_ROOT, pulumiBinDir } from "./helpers/toolchain";

const SCRIPT = join(REPO_ROOT, "scripts", "ensure-pulumi");
// Everything the script calls besides pulumi and go, so a PATH can be built that certainly lacks those two.
const BASE_TOOLS = ["bash", "node", "dirname", "date", "cat", "sha256sum", "cut", "mktemp", "flock", "mkdir",
  "sort", "head", "tail", "chmod", "mv", "rm", "ln", "printf", "grep", "xargs"];

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

  it("completes a cached toolchain that lacks the YAML language host, without rebuilding the CLI", () => {
    const bin = pulumiBinDir();
    const built = join(bin, "..");
    const older = join(cache, "v3.248.0");
    mkdirSync(join(older, "bin"), { recursive: true });
    for (const tool of ["pulumi", "pulumi-language-nodejs"]) symlinkSync(join(bin, tool), join(older, "bin", tool));
    writeFileSync(join(older, "stamp"), readFileSync(join(built, "stamp")));
    const goEnv = spawnSync("go", ["env", "GOMODCACHE", "GOCACHE", "GOPATH"], { encoding: "utf8" }).stdout.trim().split("\n");
    const goDir = spawnSync("bash", ["-c", "dirname \"$(command -v go)\""], { encoding: "utf8" }).stdout.trim();
    const r = ensure({
      PATH: [goDir, basePath(join(cache, "path"))].join(":"),
      HOME: cache,
      AVHEALTH_TOOLCHAIN_CACHE: cache,
      AVHEALTH_PULUMI_IGNORE_PATH: "1",
      GOMODCACHE: goEnv[0],
      GOCACHE: goEnv[1],
      GOPATH: goEnv[2],
      ...(process.env.GOPROXY ? { GOPROXY: process.env.GOPROXY } : {}),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("building pulumi-language-yaml") });
    expect(r.stderr).not.toContain("building Pulumi v3.248.0");
    expect(r.stdout.trim().split("\n").pop()).toBe(join(older, "bin"));
    expect(existsSync(join(older, "bin", "pulumi-language-yaml"))).toBe(true);
    const again = ensure({ PATH: [goDir, basePath(join(cache, "path2"))].join(":"), HOME: cache, AVHEALTH_TOOLCHAIN_CACHE: cache, AVHEALTH_PULUMI_IGNORE_PATH: "1" });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain("building");
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
