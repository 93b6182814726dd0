import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import type { CliIo } from "../cli/io";
import { ErrorCodes } from "../errors";
import { packageInfo } from "../util/package-info";
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

  it("writes the four files of a pack into a new directory", async () => {
    const dir = path.join(tmp, "policy");
    const written = await initPack(dir);
    expect(written.map((file) => path.basename(file))).toEqual(["PulumiPolicy.yaml", "package.json", "index.js", "compliance.yaml"]);

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

    const starter = await fs.readFile(path.join(packageInfo().root, "policies", "compliance.yaml"), "utf8");
    expect(await fs.readFile(path.join(dir, "compliance.yaml"), "utf8")).toBe(starter);
  });

  it("writes a pack whose npm pack (what pulumi policy publish uploads) holds the rule file", async () => {
    const dir = path.join(tmp, "policy");
    await initPack(dir);
    await fs.writeFile(path.join(dir, "servers.yaml"), "version: 1\n");
    await fs.writeFile(path.join(dir, ".gitignore"), "*.yaml\n");
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
    const [packed] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
    expect(packed.files.map((file) => file.path).sort()).toEqual(["PulumiPolicy.yaml", "compliance.yaml", "index.js", "package.json", "servers.yaml"]);
  });

  it("accepts an existing empty directory", async () => {
    await expect(initPack(tmp)).resolves.toHaveLength(4);
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
    expect(await fs.readdir(path.join(tmp, "policy"))).toHaveLength(4);
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
