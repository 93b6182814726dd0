/**
 * Hermetic Pulumi CLI runs for end-to-end tests.
 *
 *   const ws = await createPulumiWorkspace({
 *     projectDir: copyFixture("test/e2e/fixtures/toolchain/program"), // a temp copy, node_modules linked
 *     stack: "e2e",                                   // default "e2e"
 *     config: { verdict: "pass", "avhealth:clientSecret": { value: "s3cr3t", secret: true } },
 *     env: { AVHEALTH_E2E_TRACE: "/tmp/x.jsonl" },     // added to every command
 *   });
 *   const r = await ws.preview({ policyPacks: [{ dir: packDir, config: { all: "mandatory" } }] });
 *   r.code; r.stdout; r.stderr; r.events;             // exit code, output, parsed --event-log events
 *   policyEvents(r.events, "my-policy");              // from ./events
 *   await ws.up(); await ws.stackExport(); await ws.destroy();
 *   await ws.run(["stack", "output", "--json", "--stack", ws.stack]); // any command, as given
 *   await ws.setConfig("key", "value", { secret: true });
 *   await ws.cleanup();                               // removes the state, PULUMI_HOME and event logs
 *   removeFixture(ws.projectDir);                     // removes the copyFixture() copy
 *
 * Every command runs with: PATH starting with the toolchain directory (see ./toolchain), a file backend
 * (PULUMI_BACKEND_URL=file://<temp>/state), PULUMI_HOME=<temp>/home, PULUMI_CONFIG_PASSPHRASE,
 * PULUMI_SKIP_UPDATE_CHECK=true, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true, PULUMI_DEBUG_COMMANDS=true
 * (without it the CLI has no --event-log flag), `--non-interactive` and `--color=never`. Inherited PULUMI_*
 * variables are dropped so a developer's login or config cannot leak in.
 * preview/up/destroy write `--event-log` to a fresh file and return its events. Commands never throw on a
 * non-zero exit: tests assert on `code`. They throw only when the CLI cannot be started or times out.
 */
import { spawn } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "path";
import { EngineEvent, readEventLog } from "./events";
import { REPO_ROOT, pulumiBinDir } from "./toolchain";

export type ConfigValue = string | { value: string; secret?: boolean };

export interface PulumiWorkspaceOptions {
  /** Directory holding Pulumi.yaml; commands run there. Use copyFixture() so state never lands in the repo. */
  projectDir: string;
  stack?: string;
  /** Extra environment for every command (provider credentials, trace files...). */
  env?: Record<string, string>;
  /** Stack config set with `pulumi config set [--secret]` right after `pulumi stack init`. */
  config?: Record<string, ConfigValue>;
  passphrase?: string;
}

export interface RunOptions {
  /** Extra environment for this command only. */
  env?: Record<string, string>;
  /** Kill the CLI after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Write and parse an --event-log for this command. */
  eventLog?: boolean;
}

export interface PolicyPackRef {
  dir: string;
  /** --policy-pack-config: a path to a JSON file, or an object written to a temp file. */
  config?: string | Record<string, unknown>;
}

export interface DeploymentOptions extends RunOptions {
  policyPacks?: Array<string | PolicyPackRef>;
  /** Extra arguments, e.g. ["--diff"] or ["--refresh"]. */
  args?: string[];
}

export interface UpOptions extends DeploymentOptions {
  /** Pass --skip-preview (the program then runs once instead of twice). */
  skipPreview?: boolean;
}

export interface PulumiResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  events: EngineEvent[];
}

export interface PulumiWorkspace {
  readonly projectDir: string;
  readonly stack: string;
  readonly binDir: string;
  /** Scratch directory removed by cleanup(); put trace files and pack configs here. */
  readonly tempDir: string;
  run(args: string[], opts?: RunOptions): Promise<PulumiResult>;
  preview(opts?: DeploymentOptions): Promise<PulumiResult>;
  up(opts?: UpOptions): Promise<PulumiResult>;
  /** `pulumi destroy --yes` (the CLI takes no --policy-pack here). */
  destroy(opts?: RunOptions & { args?: string[] }): Promise<PulumiResult>;
  setConfig(key: string, value: string, opts?: { secret?: boolean }): Promise<void>;
  /** `pulumi stack export`, parsed. */
  stackExport(): Promise<unknown>;
  cleanup(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Copies a fixture directory to a new temp directory and links the repository's node_modules into it, so a
 * fixture program or policy pack resolves @pulumi/pulumi and @pulumi/policy without an npm install.
 */
export function copyFixture(fixtureDir: string, opts: { linkNodeModules?: boolean } = {}): string {
  const src = isAbsolute(fixtureDir) ? fixtureDir : join(REPO_ROOT, fixtureDir);
  const dest = join(mkdtempSync(join(tmpdir(), "avhealth-fixture-")), basename(src));
  cpSync(src, dest, { recursive: true, filter: (p) => basename(p) !== "node_modules" });
  if (opts.linkNodeModules ?? true) {
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dest, "node_modules"), "dir");
  }
  return dest;
}

/** Removes a copy made by copyFixture (its whole temp parent); refuses any other path. */
export function removeFixture(copyDir: string): void {
  const parent = dirname(resolve(copyDir));
  if (dirname(parent) !== resolve(tmpdir()) || !basename(parent).startsWith("avhealth-fixture-")) {
    throw new Error(`removeFixture: ${copyDir} was not made by copyFixture`);
  }
  rmSync(parent, { recursive: true, force: true });
}

/** The environment of one command: hermetic Pulumi settings over the caller's non-Pulumi environment. */
function commandEnv(
  binDir: string, tempDir: string, passphrase: string, extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("PULUMI_") && value !== undefined) {
      env[key] = value;
    }
  }
  return {
    ...env,
    PATH: [binDir, process.env.PATH ?? ""].join(delimiter),
    PULUMI_HOME: join(tempDir, "home"),
    PULUMI_BACKEND_URL: `file://${join(tempDir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // --event-log is only registered when debug commands are enabled (pkg/v3 cmd/pulumi/operations).
    PULUMI_DEBUG_COMMANDS: "true",
    ...extra,
  };
}

function spawnPulumi(
  binDir: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(binDir, "pulumi"), args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${join(binDir, "pulumi")}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === null) {
        reject(new Error(`pulumi ${args.join(" ")} ended by ${signal ?? "a signal"} (timeout ${timeoutMs} ms)\n` +
          `stdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export async function createPulumiWorkspace(options: PulumiWorkspaceOptions): Promise<PulumiWorkspace> {
  const binDir = pulumiBinDir();
  const projectDir = resolve(options.projectDir);
  const stack = options.stack ?? "e2e";
  const passphrase = options.passphrase ?? "avhealth-e2e-passphrase";
  const tempDir = mkdtempSync(join(tmpdir(), "avhealth-pulumi-"));
  // The file backend refuses a state directory that does not exist yet.
  mkdirSync(join(tempDir, "state"));
  mkdirSync(join(tempDir, "home"));
  let runCount = 0;

  const run = async (args: string[], opts: RunOptions = {}): Promise<PulumiResult> => {
    runCount += 1;
    const eventFile = join(tempDir, `events-${runCount}.jsonl`);
    const own = ["--non-interactive", "--color=never", ...(opts.eventLog === true ? ["--event-log", eventFile] : [])];
    // Flags must come before a "--" that ends option parsing (config set -- KEY VALUE).
    const end = args.indexOf("--");
    const fullArgs = end === -1 ? [...args, ...own] : [...args.slice(0, end), ...own, ...args.slice(end)];
    const env = commandEnv(binDir, tempDir, passphrase, { ...options.env, ...opts.env });
    const result = await spawnPulumi(binDir, fullArgs, projectDir, env, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return { args: fullArgs, ...result, events: opts.eventLog === true ? readEventLog(eventFile) : [] };
  };

  const mustRun = async (args: string[]): Promise<PulumiResult> => {
    const result = await run(args);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  };

  const policyArgs = (packs: Array<string | PolicyPackRef> = []): string[] => {
    const refs = packs.map((p) => (typeof p === "string" ? { dir: p } : p));
    const withConfig = refs.some((r) => r.config !== undefined);
    return refs.flatMap((ref, i) => {
      const args = ["--policy-pack", resolve(ref.dir)];
      if (!withConfig) {
        return args;
      }
      // The CLI pairs the n-th --policy-pack-config with the n-th --policy-pack, so once one pack has a config
      // every pack gets one (an empty object means "no settings").
      const file = typeof ref.config === "string" ? resolve(ref.config) : join(tempDir, `policy-config-${i}.json`);
      if (typeof ref.config !== "string") {
        writeFileSync(file, JSON.stringify(ref.config ?? {}));
      }
      return [...args, "--policy-pack-config", file];
    });
  };

  const deploymentArgs = (command: string[], opts: DeploymentOptions): string[] => [
    ...command, "--stack", stack, ...policyArgs(opts.policyPacks), ...(opts.args ?? []),
  ];

  const setConfig = async (key: string, value: string, opts: { secret?: boolean } = {}): Promise<void> => {
    const secret = opts.secret === true ? ["--secret"] : [];
    // "--" keeps values that start with "-" from being read as flags.
    await mustRun(["config", "set", "--stack", stack, ...secret, "--", key, value]);
  };

  try {
    await mustRun(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    for (const [key, value] of Object.entries(options.config ?? {})) {
      if (typeof value === "string") {
        await setConfig(key, value);
      } else {
        await setConfig(key, value.value, { secret: value.secret });
      }
    }
  } catch (err) {
    // No workspace is returned, so nobody else could remove the temp state.
    rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }

  return {
    projectDir,
    stack,
    binDir,
    tempDir,
    run,
    setConfig,
    preview: (opts = {}) => run(deploymentArgs(["preview"], opts), { ...opts, eventLog: true }),
    up: (opts = {}) =>
      run(deploymentArgs(["up", "--yes", ...(opts.skipPreview === true ? ["--skip-preview"] : [])], opts),
        { ...opts, eventLog: true }),
    destroy: (opts = {}) =>
      run(["destroy", "--yes", "--stack", stack, ...(opts.args ?? [])], { ...opts, eventLog: true }),
    stackExport: async () => JSON.parse((await mustRun(["stack", "export", "--stack", stack])).stdout) as unknown,
    cleanup: async () => {
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** Fails the test with the command and its whole output when the CLI did not exit with `code`. */
export function expectExit(result: PulumiResult, code: number): void {
  if (result.code !== code) throw new Error(`pulumi ${result.args.join(" ")} exited ${result.code}, expected ${code}\n${result.stdout}\n${result.stderr}`);
}
