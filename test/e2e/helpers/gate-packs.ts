/**
 * The org-wide gate's packs as a platform team makes them: `avhealth init-pack` from the packaged CLI, installed
 * from the tarball with the end-to-end rules, and a second pack sharing its modules whose rule file each test
 * writes (with pins).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { E2E_RULES } from "../../policy/e2e-support";
import { installWithTarball, packRepository } from "./tarball";
import { REPO_ROOT } from "./toolchain";

export interface GatePacks {
  /** The pack with the end-to-end rules, unpinned. */
  packDir: string;
  /** The same pack under another name; its compliance.yaml is the test's to write. */
  pinnedPackDir: string;
}

export function makeGatePacks(tmp: string): GatePacks {
  const tarball = packRepository(tmp);
  const packDir = path.join(tmp, "avhealth-pack");
  execFileSync(process.execPath, [path.join(REPO_ROOT, "bin", "avhealth.js"), "init-pack", packDir], { encoding: "utf8" });
  installWithTarball(packDir, tarball);
  fs.copyFileSync(E2E_RULES, path.join(packDir, "compliance.yaml"));

  const pinnedPackDir = path.join(tmp, "avhealth-pinned");
  fs.mkdirSync(pinnedPackDir);
  for (const file of ["index.js", "package.json"]) fs.copyFileSync(path.join(packDir, file), path.join(pinnedPackDir, file));
  fs.writeFileSync(path.join(pinnedPackDir, "PulumiPolicy.yaml"), "runtime: nodejs\nname: avhealth-pinned\n");
  fs.symlinkSync(path.join(packDir, "node_modules"), path.join(pinnedPackDir, "node_modules"), "dir");
  return { packDir, pinnedPackDir };
}
