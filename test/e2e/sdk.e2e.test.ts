/**
 * The generated SDKs under sdk/: regenerating them from the provider's types with Pulumi's code generators
 * (tools/sdkgen, built and cached by scripts/ensure-sdkgen) gives exactly the committed files; the Python SDK
 * installs into a throwaway virtual environment next to `pulumi` from PyPI, imports and compiles; the Go SDK
 * builds and vets against github.com/pulumi/pulumi/sdk/v3 v3.248.0; the README's Python and Go snippets run (with
 * Pulumi's mocks) and build against them. Needs Go and Python 3 with venv and pip.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { schemaText } from "../../provider/plugin/schema";
import { REPO_ROOT } from "./helpers/toolchain";

jest.setTimeout(20 * 60 * 1000);

const run = promisify(execFile);
const SDK = path.join(REPO_ROOT, "sdk");
const PULUMI_VERSION = "3.248.0";
/** What building or installing leaves next to the sources (sdk/python/.gitignore); never part of the SDK. */
const BUILD_LEFTOVERS = new Set(["build", "dist", "__pycache__", ".mypy_cache"]);

function files(dir: string, base = dir): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (BUILD_LEFTOVERS.has(entry.name) || entry.name.endsWith(".egg-info")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [name, text] of files(full, base)) found.set(name, text);
    else found.set(path.relative(base, full), fs.readFileSync(full, "utf8"));
  }
  return found;
}

/** The first fenced block of `language` in the README's "Other languages" section: the snippets users copy. */
function readmeSnippet(language: string): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Other languages"));
  const match = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(section.slice(0, section.indexOf("\n## ", 5)));
  if (!match) throw new Error(`README.md "Other languages" has no ${language} block`);
  return match[1] as string;
}

/** What the plugin returns for a small fleet: the outputs the SDKs must map to their own names. */
const TRI = { true: 290, false: 10, unknown: 0 };
const OUTPUTS = {
  schemaVersion: 2,
  deviceCount: 300,
  summary: { deviceCount: 300, byAvMode: { active: 300 }, bySignatureUpToDate: TRI, byEngineUpToDate: TRI, byPlatformUpToDate: TRI, byOsKind: { windows: 300 }, byRbacGroup: { Prod: 300 }, stale: 7 },
  snapshot: { digest: `sha256:${"ab".repeat(32)}`, path: "/tmp/x.ndjson.gz", method: "json", complete: true, generatedTime: null, fetchedAt: "2026-12-01T00:00:00Z" },
};

function tool(name: string): string {
  try {
    return execFileSync("bash", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`${name} is not on PATH; the SDK tests need Go and Python 3 (with venv and pip)`);
  }
}

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "avhealth-sdk-"));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it("regenerating the schema and the SDKs from the provider's types gives the committed sdk/ (else run `npm run sdk:generate`)", async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const out = path.join(tmp, "generated");
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, "schema.json"), schemaText(version));
  const ensured = await run("bash", [path.join(REPO_ROOT, "scripts", "ensure-sdkgen")], { maxBuffer: 16 * 1024 * 1024 });
  const sdkgen = ensured.stdout.trim().split("\n").pop() as string;
  await run(sdkgen, ["-schema", path.join(out, "schema.json"), "-out", out]);

  const generated = files(out);
  const committed = files(SDK);
  expect(generated.size).toBeGreaterThan(20);
  expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
  const differing = [...generated].filter(([name, text]) => committed.get(name) !== text).map(([name]) => name);
  expect(differing).toEqual([]);
});

it("scripts/ensure-sdkgen builds the generator into its cache once and rebuilds it when its sources change", async () => {
  tool("go");
  const cache = path.join(tmp, "toolchain-cache");
  const ensure = () => run("bash", [path.join(REPO_ROOT, "scripts", "ensure-sdkgen")], { env: { ...process.env, AVHEALTH_TOOLCHAIN_CACHE: cache }, maxBuffer: 16 * 1024 * 1024 });
  const binary = path.join(cache, "sdkgen", "bin", "sdkgen");
  const first = await ensure();
  expect(first.stdout.trim().split("\n").pop()).toBe(binary);
  expect(first.stderr).toContain("building tools/sdkgen");
  const second = await ensure();
  expect(second.stdout.trim().split("\n").pop()).toBe(binary);
  expect(second.stderr).toContain("reusing");
  expect(second.stderr).not.toContain("building");
  // A stamp of other sources (what an edit of tools/sdkgen leaves behind) makes the next run rebuild.
  fs.writeFileSync(path.join(cache, "sdkgen", "stamp"), "0".repeat(64));
  const third = await ensure();
  expect(third.stderr).toContain("building tools/sdkgen");
  const usage = await run(binary, []).catch((error: { code: number; stderr: string }) => error);
  expect(usage).toMatchObject({ code: 2 });
  expect((usage as { stderr: string }).stderr).toContain("usage: sdkgen -schema");
});

it("the Python SDK installs next to pulumi from PyPI, imports, and compiles", async () => {
  const python = tool("python3");
  const copy = path.join(tmp, "python");
  fs.cpSync(path.join(SDK, "python"), copy, { recursive: true });
  const venv = path.join(tmp, "venv");
  await run(python, ["-m", "venv", venv]);
  const bin = path.join(venv, "bin");
  await run(path.join(bin, "pip"), ["install", "--quiet", "--disable-pip-version-check", `pulumi==${PULUMI_VERSION}`, copy], { maxBuffer: 16 * 1024 * 1024 });
  const probe = [
    "import inspect, pulumi, pulumi_avhealth as av",
    "from pulumi_avhealth import DeviceAvHealth, get_device_av_health, Provider",
    "assert issubclass(DeviceAvHealth, pulumi.CustomResource)",
    "params = inspect.signature(get_device_av_health).parameters",
    "print(pulumi.__version__ if hasattr(pulumi, '__version__') else '', sorted(params))",
  ].join("\n");
  const imported = await run(path.join(bin, "python"), ["-c", probe], { cwd: tmp });
  expect(imported.stdout).toContain("'api_url', 'cache_ttl', 'cloud', 'filter', 'include_devices', 'method', 'opts', 'tenant_id'");
  const compiled = await run(path.join(bin, "python"), ["-m", "compileall", "-q", copy]);
  expect(compiled.stdout.trim()).toBe("");

  // The README's Python snippet, run against the SDK with Pulumi's mocks standing in for the engine and plugin.
  const harness = [
    "import asyncio, json, os, pulumi",
    "OUT = json.loads(os.environ['AVHEALTH_OUTPUTS'])",
    "class Mocks(pulumi.runtime.Mocks):",
    "    def new_resource(self, args):",
    "        assert args.typ == 'avhealth:index:DeviceAvHealth', args.typ",
    "        return [args.name + '-id', {**args.inputs, **OUT}]",
    "    def call(self, args):",
    "        assert args.token == 'avhealth:index:getDeviceAvHealth', args.token",
    "        return OUT",
    "pulumi.runtime.set_mocks(Mocks(), preview=False)",
    "ns = {}",
    "exec(open(os.environ['AVHEALTH_SNIPPET']).read(), ns)",
    "loop = asyncio.get_event_loop()",
    "fleet = ns['fleet']",
    "count = loop.run_until_complete(fleet.device_count.future())",
    "outdated = loop.run_until_complete(fleet.summary.apply(lambda s: s.by_signature_up_to_date.false).future())",
    "print(json.dumps({'count': count, 'outdated': outdated, 'stale': ns['health'].summary.stale}))",
  ].join("\n");
  const snippet = path.join(tmp, "snippet.py");
  fs.writeFileSync(snippet, readmeSnippet("python"));
  const ran = await run(path.join(bin, "python"), ["-c", harness], { cwd: tmp, env: { ...process.env, AVHEALTH_SNIPPET: snippet, AVHEALTH_OUTPUTS: JSON.stringify(OUTPUTS) } });
  expect(JSON.parse(ran.stdout.trim().split("\n").pop() as string)).toEqual({ count: 300, outdated: 10, stale: 7 });
});

it("the Go SDK builds and vets against github.com/pulumi/pulumi/sdk/v3 v3.248.0", async () => {
  const go = tool("go");
  const copy = path.join(tmp, "go");
  fs.cpSync(path.join(SDK, "go"), copy, { recursive: true });
  // The sums of sdk/v3 and its dependencies are those of the generator's module, which requires the same version.
  fs.copyFileSync(path.join(REPO_ROOT, "tools", "sdkgen", "go.sum"), path.join(copy, "go.sum"));
  // The README's Go snippet, built and vetted as a program inside the SDK's module.
  fs.mkdirSync(path.join(copy, "example"));
  fs.writeFileSync(path.join(copy, "example", "main.go"), readmeSnippet("go"));
  // The build flags of the CLI build (scripts/ensure-pulumi), so the sdk/v3 packages come from the build cache.
  const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
  const flags = ["-trimpath", "-tags", "osusergo,grpcnotrace"];
  await run(go, ["mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION}`], { cwd: copy, env });
  await run(go, ["mod", "tidy"], { cwd: copy, env, maxBuffer: 16 * 1024 * 1024 });
  const listed = await run(go, ["list", "-m", "github.com/pulumi/pulumi/sdk/v3"], { cwd: copy, env });
  expect(listed.stdout.trim()).toBe(`github.com/pulumi/pulumi/sdk/v3 v${PULUMI_VERSION}`);
  await run(go, ["build", ...flags, "./..."], { cwd: copy, env, maxBuffer: 16 * 1024 * 1024 });
  const vetted = await run(go, ["vet", ...flags, "./..."], { cwd: copy, env, maxBuffer: 16 * 1024 * 1024 });
  expect(vetted.stderr.trim()).toBe("");
  const packages = await run(go, ["list", "./..."], { cwd: copy, env });
  expect(packages.stdout.trim().split("\n")).toEqual([
    "github.com/pulumi-defender-avhealth/sdk/go/avhealth",
    "github.com/pulumi-defender-avhealth/sdk/go/avhealth/config",
    "github.com/pulumi-defender-avhealth/sdk/go/avhealth/internal",
    "github.com/pulumi-defender-avhealth/sdk/go/example",
  ]);
});
