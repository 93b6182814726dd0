/**
 * This package as a user gets it: `npm pack` of the checkout, and a project (or policy pack) whose
 * package.json depends on that tarball and on the @pulumi/* versions this checkout is tested with, installed
 * through npm's cache from the registry.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./toolchain";

/** Packs the checkout (dist must be built) into dir and returns the tarball's path. */
export function packRepository(dir: string): string {
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop() ?? "";
  const tarball = path.join(dir, name);
  if (!fs.existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
  return tarball;
}

/** The version of a package installed in this checkout. */
export function checkoutVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Points dir/package.json at the tarball and at this checkout's versions of `pinned` (dependencies or
 * devDependencies, wherever they are listed), then runs `npm install` there. The package is installed as a
 * copy, never a link back to this checkout.
 */
export function installWithTarball(dir: string, tarball: string, pinned: readonly string[] = ["@pulumi/pulumi", "@pulumi/policy"]): void {
  const manifestFile = path.join(dir, "package.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { dependencies: Record<string, string>; devDependencies?: Record<string, string> };
  manifest.dependencies["pulumi-defender-avhealth"] = `file:${tarball}`;
  for (const name of pinned) {
    const section = manifest.devDependencies?.[name] !== undefined ? manifest.devDependencies : manifest.dependencies;
    section[name] = checkoutVersion(name);
  }
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], { cwd: dir, stdio: "inherit" });
  if (fs.lstatSync(path.join(dir, "node_modules", "pulumi-defender-avhealth")).isSymbolicLink()) {
    throw new Error(`${dir}: pulumi-defender-avhealth was linked, not installed`);
  }
}
