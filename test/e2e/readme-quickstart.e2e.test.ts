/**
 * The README's quick start, as a newcomer pastes it: the first shell block under "Quick start" is run verbatim
 * by bash in a fresh project where the packed package was installed as the README's "Install" says (npm pack of
 * this checkout, dist built by `npm test`; dependencies through npm's cache). The README cannot drift from what
 * works: change the block, the flags or the install, and this fails.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packRepository } from "./helpers/tarball";
import { REPO_ROOT } from "./helpers/toolchain";

jest.setTimeout(10 * 60 * 1000);

/** The first ```sh block after the heading that starts with `heading`. */
function shellBlockAfter(markdown: string, heading: string): string {
  const at = markdown.indexOf(`\n${heading}`);
  if (at === -1) throw new Error(`README has no heading "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at));
  if (block?.[1] === undefined) throw new Error(`no sh block after "${heading}"`);
  return block[1];
}

function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the quick start did not finish in 3 minutes\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, 3 * 60 * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("README quick start", () => {
  let tmp: string;
  let project: string;
  let tarballName: string;
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-quickstart-"));
    const tarball = packRepository(tmp);
    tarballName = path.basename(tarball);
    project = path.join(tmp, "my-project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-project", version: "1.0.0", private: true }));
    // README "Install", before the registry release: npm install the tarball.
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error", tarball], { cwd: project, stdio: "inherit" });
    expect(fs.lstatSync(path.join(project, "node_modules", "pulumi-defender-avhealth")).isSymbolicLink()).toBe(false);
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("Install names the tarball that npm pack writes, and the range init-pack writes by default", () => {
    const install = readme.slice(readme.indexOf("\n## Install"), readme.indexOf("\n## Quick start"));
    expect(install).toContain(`npm pack        # writes ${tarballName}`);
    expect(install).toContain(`npm install /path/to/${tarballName}`);
    const version = /pulumi-defender-avhealth-(.+)\.tgz$/.exec(tarballName)?.[1];
    expect(install).toContain(`\`^${version}\``);
  });

  it("comes first, before the test suite", () => {
    expect(readme.indexOf("\n## Quick start")).toBeGreaterThan(-1);
    expect(readme.indexOf("\n## Quick start")).toBeLessThan(readme.indexOf("npm test"));
    expect(readme.indexOf("\n## Install")).toBeLessThan(readme.indexOf("\n## Quick start"));
  });

  it("runs verbatim: the emulator, a fetch, a check with reports, and the emulator stops", async () => {
    const block = shellBlockAfter(readme, "## Quick start");
    expect(block).toContain("npx avhealth emulator");
    // Only what a user's shell has: no Azure variables, nothing of this test's process.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}) };
    const run = await runBash(block, project, env);
    const shown = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    expect({ code: run.code, shown }).toEqual({ code: 0, shown });
    expect(run.stdout).toMatch(/^devices +5000 \(complete\)/m);
    expect(run.stdout).toMatch(/^rule +status +percent +threshold +counted +fail +unknown +enforcement/m);
    expect(run.stdout.trimEnd().split("\n").pop()).toMatch(/^gate: FAIL, 5000 devices; blocked by \S+ \(\d+ fail, \d+ unknown\)/);
    expect(fs.readdirSync(path.join(project, "avhealth-reports")).sort()).toEqual(["avhealth-report.html", "avhealth-report.json", "avhealth-report.md"]);
    expect(run.stderr).not.toMatch(/AUTH_MISSING_CONFIG|error/i);
    // The emulator removes its env file when it stops cleanly: nothing is left running.
    expect(fs.existsSync(path.join(project, "avhealth-emulator.env"))).toBe(false);
    expect(run.stderr).toMatch(/avhealth emulator: stopped after/);
  });
});
