import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import type { CliIo } from "../cli/io";
import { ErrorCodes } from "../errors";
import { packageInfo } from "../util/package-info";
import { runRuleCases } from "../rules";
import { initPack, runInitPackCli } from "./index";

function captureIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return { io: { stdout, stderr, stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd }, out: () => out, err: () => err };
}

describe("initPack", () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-initpack-"));
  });
  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it("writes the files of a pack into a new directory", async () => {
    const dir = path.join(tmp, "policy");
    const written = await initPack(dir);
    expect(written.map((file) => path.relative(dir, file))).toEqual(["PulumiPolicy.yaml", "package.json", "index.js", "compliance.yaml", path.join("cases", "starter.yaml")]);

    const manifest = JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8")) as { main: string; dependencies: Record<string, string> };
    expect(manifest.main).toBe("index.js");
    expect(manifest.dependencies["pulumi-defender-avhealth"]).toBe(`^${packageInfo().version}`);
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@pulumi/policy", "@pulumi/pulumi", "pulumi-defender-avhealth"]);

    expect(await fs.readFile(path.join(dir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs\nname: avhealth\n/);
    const entry = await fs.readFile(path.join(dir, "index.js"), "utf8");
    expect(entry).toContain('require("pulumi-defender-avhealth/policy")');
    expect(entry).toContain("packDir: __dirname");
    // A few lines: the pack's code lives in the library.
    expect(entry.trim().split("\n").length).toBeLessThanOrEqual(10);

    // The starter's rules, under a header about this pack (not about this repository's files).
    const starter = await fs.readFile(path.join(packageInfo().root, "policies", "compliance.yaml"), "utf8");
    const rules = await fs.readFile(path.join(dir, "compliance.yaml"), "utf8");
    expect(rules.endsWith(starter.slice(starter.search(/^version:/m)))).toBe(true);
    expect(rules).toMatch(/^# The rules of the Pulumi policy pack "avhealth" \(this directory\)/);
    expect(rules).toContain(`avhealth test --rules ${dir}/compliance.yaml --cases ${dir}/cases`);
    const header = rules.slice(0, rules.search(/^version:/m));
    expect(header).not.toMatch(/policies\/|examples\/|init-pack DIR copies/);
  });

  it("writes cases that `avhealth test` runs and passes against the pack's rules", async () => {
    const dir = path.join(tmp, "policy");
    await initPack(dir);
    const outcome = await runRuleCases(path.join(dir, "compliance.yaml"), path.join(dir, "cases"));
    expect(outcome.results.map((r) => [r.passed, r.differences])).toEqual([
      [true, []],
      [true, []],
    ]);
    expect(outcome).toMatchObject({ passed: 2, failed: 0 });
  });

  it("writes the library dependency it is given (a tarball path or git URL before the registry release)", async () => {
    const dir = path.join(tmp, "policy");
    await initPack(dir, { libraryDependency: "file:/opt/pulumi-defender-avhealth-0.1.0.tgz" });
    const manifest = JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["pulumi-defender-avhealth"]).toBe("file:/opt/pulumi-defender-avhealth-0.1.0.tgz");
  });

  it("writes a pack whose npm pack (what pulumi policy publish uploads) holds the rule file", async () => {
    const dir = path.join(tmp, "policy");
    await initPack(dir);
    await fs.writeFile(path.join(dir, "servers.yaml"), "version: 1\n");
    await fs.writeFile(path.join(dir, ".gitignore"), "*.yaml\n");
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
    const [packed] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
    // cases/ is for the pack's authors, not for what `pulumi policy publish` uploads.
    expect(packed.files.map((file) => file.path).sort()).toEqual(["PulumiPolicy.yaml", "compliance.yaml", "index.js", "package.json", "servers.yaml"]);
  });

  it("accepts an existing empty directory", async () => {
    await expect(initPack(tmp)).resolves.toHaveLength(5);
  });

  it("refuses a directory that is not empty, and leaves it untouched", async () => {
    await fs.writeFile(path.join(tmp, "index.js"), "// mine\n");
    await expect(initPack(tmp)).rejects.toMatchObject({ code: ErrorCodes.USAGE });
    expect(await fs.readdir(tmp)).toEqual(["index.js"]);
    expect(await fs.readFile(path.join(tmp, "index.js"), "utf8")).toBe("// mine\n");
  });

  it("refuses a pack name PulumiPolicy.yaml would reject", async () => {
    await expect(initPack(path.join(tmp, "p"), { packName: "bad name" })).rejects.toMatchObject({ code: ErrorCodes.USAGE });
  });
});

describe("runInitPackCli", () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "avhealth-initpack-cli-"));
  });
  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it("exits 0 and lists the files, relative to the working directory", async () => {
    const { io, out } = captureIo(tmp);
    await expect(runInitPackCli(["policy"], io)).resolves.toBe(0);
    expect(out()).toContain(path.join("policy", "compliance.yaml"));
    expect(out()).toContain("pulumi preview --policy-pack policy");
    expect(out()).toContain(`avhealth test --rules ${path.join("policy", "compliance.yaml")} --cases ${path.join("policy", "cases")}`);
    expect((await fs.readdir(path.join(tmp, "policy"))).sort()).toEqual(["PulumiPolicy.yaml", "cases", "compliance.yaml", "index.js", "package.json"]);
    // The comments name the pack as the user named it.
    expect(await fs.readFile(path.join(tmp, "policy", "compliance.yaml"), "utf8")).toContain("avhealth validate --rules policy/compliance.yaml");
  });

  it.each([
    [[], `^${packageInfo().version}`],
    [["--package", "^0.2.0"], "^0.2.0"],
    [["--package", "git+https://github.com/example/pulumi-defender-avhealth.git#v0.1.0"], "git+https://github.com/example/pulumi-defender-avhealth.git#v0.1.0"],
    [["--package", "github:example/pulumi-defender-avhealth"], "github:example/pulumi-defender-avhealth"],
  ])("--package %j writes the dependency %s", async (extra, dependency) => {
    const { io, out } = captureIo(tmp);
    await expect(runInitPackCli(["policy", ...extra], io)).resolves.toBe(0);
    const manifest = JSON.parse(await fs.readFile(path.join(tmp, "policy", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["pulumi-defender-avhealth"]).toBe(dependency);
    expect(out()).toContain(`depends on pulumi-defender-avhealth ${dependency}`);
  });

  it("--package with a tarball path (relative to the working directory) writes file: and its absolute path", async () => {
    await fs.writeFile(path.join(tmp, "pulumi-defender-avhealth-0.1.0.tgz"), "");
    const { io } = captureIo(tmp);
    await expect(runInitPackCli(["policy", "--package", "./pulumi-defender-avhealth-0.1.0.tgz"], io)).resolves.toBe(0);
    const manifest = JSON.parse(await fs.readFile(path.join(tmp, "policy", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["pulumi-defender-avhealth"]).toBe(`file:${path.join(tmp, "pulumi-defender-avhealth-0.1.0.tgz")}`);
  });

  it("--package with a checkout directory writes file: and the checkout", async () => {
    const { io } = captureIo(tmp);
    await expect(runInitPackCli(["policy", "--package", packageInfo().root], io)).resolves.toBe(0);
    const manifest = JSON.parse(await fs.readFile(path.join(tmp, "policy", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["pulumi-defender-avhealth"]).toBe(`file:${packageInfo().root}`);
  });

  it.each([
    ["./missing-0.1.0.tgz", "no such file or directory"],
    ["banana", "not a version range (^0.1.0), a tarball path"],
    [os.tmpdir(), "not a checkout of pulumi-defender-avhealth"],
  ])("--package %s is refused before anything is written (exit 2)", async (spec, message) => {
    const { io, err } = captureIo(tmp);
    await expect(runInitPackCli(["policy", "--package", spec], io)).resolves.toBe(2);
    expect(err()).toContain(message);
    expect(err()).toMatch(/^avhealth init-pack: --package /);
    expect(await fs.readdir(tmp)).toEqual([]);
  });

  it("exits 2 when DIR exists and is not empty", async () => {
    await fs.mkdir(path.join(tmp, "policy"));
    await fs.writeFile(path.join(tmp, "policy", "x"), "");
    const { io, err } = captureIo(tmp);
    await expect(runInitPackCli(["policy"], io)).resolves.toBe(2);
    expect(err()).toMatch(/exists and is not empty/);
  });

  it("exits 2 without DIR or with two", async () => {
    const first = captureIo(tmp);
    await expect(runInitPackCli([], first.io)).resolves.toBe(2);
    expect(first.err()).toMatch(/name the directory/);
    const second = captureIo(tmp);
    await expect(runInitPackCli(["a", "b"], second.io)).resolves.toBe(2);
    expect(await fs.readdir(tmp)).toEqual([]);
  });
});
