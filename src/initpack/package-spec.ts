/**
 * `init-pack --package SPEC`: how the new pack depends on pulumi-defender-avhealth. Before the first registry
 * release a user installs from a tarball (`npm pack` of a checkout) or from git; the pack's package.json must
 * then say the same, or its own `npm install` fails with E404.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";

const GIT = /^(git\+(https?|ssh|file):\/\/|git:\/\/|git@[^:]+:|github:|gitlab:|bitbucket:|gist:)|^https?:\/\/\S+\.git(#\S*)?$/;
/** A semver range as npm takes it: ^0.1.0, ~0.1, >=0.1.0 <1, 0.1.x, *, latest, or a dist-tag. */
const RANGE = /^(latest|next|\*|[\^~]?\d+(\.(\d+|x|\*)){0,2}(-[0-9A-Za-z.-]+)?|[<>]=?\s*\d[\d.]*(\s+[<>]=?\s*\d[\d.]*)?|\d+(\.\d+){0,2}\s+-\s+\d+(\.\d+){0,2})$/;
const TARBALL = /\.(tgz|tar\.gz)$/;

export interface PackageSpec {
  /** The value written into the pack's package.json dependencies. */
  dependency: string;
  kind: "range" | "tarball" | "directory" | "git";
}

function usage(message: string): AvHealthError {
  return new AvHealthError(ErrorCodes.USAGE, `--package ${message}`);
}

/**
 * SPEC → dependency: a version range as given; a git URL as given; a tarball or a checkout directory as
 * `file:` + its absolute path (checked to exist, so a typo fails now, not at the pack's npm install).
 */
export async function resolvePackageSpec(spec: string | undefined, cwd: string, version: string): Promise<PackageSpec> {
  if (spec === undefined) return { dependency: `^${version}`, kind: "range" };
  const value = spec.trim();
  if (value === "") throw usage("is empty; give a version range, a tarball path or a git URL");
  if (GIT.test(value)) return { dependency: value, kind: "git" };
  if (RANGE.test(value)) return { dependency: value, kind: "range" };
  const local = value.startsWith("file:") ? value.slice("file:".length) : value;
  const absolute = path.resolve(cwd, local);
  const stat = await fs.stat(absolute).catch(() => null);
  if (stat === null) {
    const looksLocal = TARBALL.test(local) || local.includes("/") || local.startsWith(".");
    throw usage(
      looksLocal
        ? `${value}: no such file or directory (looked for ${absolute}); make the tarball with \`npm pack\` in a checkout`
        : `${value}: not a version range (^0.1.0), a tarball path (./pulumi-defender-avhealth-0.1.0.tgz) or a git URL (git+https://…)`,
    );
  }
  if (stat.isDirectory()) {
    const manifest = await fs.readFile(path.join(absolute, "package.json"), "utf8").catch(() => null);
    if (manifest === null || (JSON.parse(manifest) as { name?: unknown }).name !== "pulumi-defender-avhealth") {
      throw usage(`${value}: the directory is not a checkout of pulumi-defender-avhealth (no such package.json)`);
    }
    return { dependency: `file:${absolute}`, kind: "directory" };
  }
  if (!TARBALL.test(absolute)) throw usage(`${value}: a file that is not a .tgz tarball`);
  return { dependency: `file:${absolute}`, kind: "tarball" };
}
