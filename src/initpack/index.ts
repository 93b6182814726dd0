/**
 * `avhealth init-pack DIR`: a ready policy pack for the user's own repository (PulumiPolicy.yaml, package.json,
 * a few-line entry file, a starter compliance.yaml whose comments describe this pack, and cases/ with test cases
 * that `avhealth test` runs). `--package SPEC` says how the pack depends on this library.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { parseFlags, usageError } from "../cli/args";
import { line, type CliIo } from "../cli/io";
import { AvHealthError, ErrorCodes, isAvHealthError } from "../errors";
import { packageInfo } from "../util/package-info";
import { redact } from "../util/redact";
import { resolvePackageSpec } from "./package-spec";
import { entryFile, packageJson, policyYaml, starterCases, starterRules, type PackTemplateOptions } from "./templates";

export interface InitPackOptions {
  /** Default "avhealth". */
  packName?: string;
  /** The starter rule file whose rules the pack starts with; default the package's own policies/compliance.yaml. */
  starterRulesFile?: string;
  /** The pack's dependency on this library: a version range, `file:` path or git URL (default ^ this version). */
  libraryDependency?: string;
  /** How comments name the pack's directory (default: its absolute path). */
  shownDir?: string;
}

const PACK_NAME = /^[A-Za-z0-9_.-]+$/;

export const INIT_PACK_FLAGS = { name: { type: "string" }, package: { type: "string" } } as const;

/** Writes the pack into `dir` (created if missing) and returns the absolute paths written, in order. */
export async function initPack(dir: string, options: InitPackOptions = {}): Promise<string[]> {
  const target = path.resolve(dir);
  const packName = options.packName ?? "avhealth";
  if (!PACK_NAME.test(packName)) {
    throw new AvHealthError(ErrorCodes.USAGE, `Policy pack names may only hold letters, digits, "-", "_" and "." (got "${packName}").`);
  }
  await assertEmptyOrMissing(target);
  const starter = options.starterRulesFile ?? path.join(packageInfo().root, "policies", "compliance.yaml");
  const rules = await fs.readFile(starter, "utf8");
  const template: PackTemplateOptions = {
    packName,
    libraryDependency: options.libraryDependency ?? `^${packageInfo().version}`,
    shownDir: options.shownDir ?? target,
  };

  await fs.mkdir(target, { recursive: true });
  await fs.mkdir(path.join(target, "cases"));
  const files: Array<[string, string]> = [
    ["PulumiPolicy.yaml", policyYaml(template)],
    ["package.json", packageJson(template)],
    ["index.js", entryFile(template)],
    ["compliance.yaml", starterRules(template, rules)],
    [path.join("cases", "starter.yaml"), starterCases(template)],
  ];
  const written: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(target, name);
    // "wx": never overwrite a file that appeared since the emptiness check.
    await fs.writeFile(file, content, { flag: "wx" });
    written.push(file);
  }
  return written;
}

async function assertEmptyOrMissing(target: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") {
      throw new AvHealthError(ErrorCodes.USAGE, `${target} is a file: name a new directory for the policy pack.`, { cause: error });
    }
    throw error;
  }
  if (entries.length > 0) {
    throw new AvHealthError(
      ErrorCodes.USAGE,
      `${target} exists and is not empty (${entries.length} entries): name a new or empty directory, so that no file of yours is overwritten.`,
      { details: { entries: entries.length } },
    );
  }
}

/** The command behind `avhealth init-pack DIR`: 0 written, 2 bad usage or DIR exists and is not empty. */
export async function runInitPackCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const flags = parseFlags("init-pack", argv, INIT_PACK_FLAGS, 1);
    const dir = flags.positionals[0];
    if (dir === undefined) {
      throw usageError("init-pack", "name the directory to create, e.g. `avhealth init-pack policy`");
    }
    const nameFlag = flags.values.name;
    const packageFlag = flags.values.package;
    const target = path.resolve(io.cwd, dir);
    const shown = (file: string) => path.relative(io.cwd, file) || file;
    const dependency = await resolvePackageSpec(typeof packageFlag === "string" ? packageFlag : undefined, io.cwd, packageInfo().version);
    const written = await initPack(target, {
      packName: typeof nameFlag === "string" ? nameFlag : undefined,
      libraryDependency: dependency.dependency,
      shownDir: shown(target),
    });
    line(io.stdout, `Wrote a Pulumi policy pack to ${shown(target)} (it depends on pulumi-defender-avhealth ${dependency.dependency}):`);
    for (const file of written) line(io.stdout, `  ${shown(file)}`);
    line(io.stdout, "");
    line(io.stdout, "Next:");
    line(io.stdout, `  (cd ${shown(target)} && npm install)   # or rely on your project's node_modules if the pack sits inside it`);
    line(io.stdout, `  avhealth validate --rules ${shown(path.join(target, "compliance.yaml"))}`);
    line(io.stdout, `  avhealth test --rules ${shown(path.join(target, "compliance.yaml"))} --cases ${shown(path.join(target, "cases"))}`);
    line(io.stdout, `  pulumi preview --policy-pack ${shown(target)}`);
    return 0;
  } catch (error) {
    if (isAvHealthError(error, ErrorCodes.USAGE)) {
      const [first, ...more] = redact(error.message).split("\n");
      line(io.stderr, [`avhealth init-pack: ${first ?? ""} [${error.code}]`, ...more].join("\n"));
      return 2;
    }
    throw error;
  }
}
