/** The package's own package.json, found by walking up from this file (works from src/ under ts-jest and from dist/). */
import * as fs from "node:fs";
import * as path from "node:path";

export interface PackageInfo {
  name: string;
  version: string;
  root: string;
}

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      const parsed = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: unknown; version?: unknown };
      if (parsed.name === "pulumi-defender-avhealth" && typeof parsed.version === "string") {
        cached = { name: parsed.name, version: parsed.version, root: dir };
        return cached;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("pulumi-defender-avhealth: package.json not found above " + __dirname);
    dir = parent;
  }
}
