/**
 * The Pulumi project's directory, where reports go by default. The engine runs a policy pack in the pack's own
 * directory and does not say where the project is, so it is found: the directory whose Pulumi.yaml names the
 * project being deployed (PULUMI_PROJECT), among the shell's working directory (PWD) and the pack's ancestors.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Env } from "./types";

export interface ProjectRootGuess {
  dir: string;
  /** False when no Pulumi.yaml matched and the pack directory is used instead. */
  found: boolean;
}

export function findProjectRoot(packDir: string, env: Env): ProjectRootGuess {
  const project = env.PULUMI_PROJECT ?? env.PULUMI_NODEJS_PROJECT;
  const candidates: string[] = [];
  if (env.PWD) candidates.push(path.resolve(env.PWD));
  for (let dir = path.resolve(packDir); ; dir = path.dirname(dir)) {
    candidates.push(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of candidates) {
    const name = projectName(dir);
    if (name !== undefined && (project === undefined || name === project)) return { dir, found: true };
  }
  return { dir: path.resolve(packDir), found: false };
}

/** The `name:` of dir/Pulumi.yaml (or .yml), read with a line match: no YAML parser needed for one scalar. */
function projectName(dir: string): string | undefined {
  for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, file), "utf8");
    } catch {
      continue;
    }
    const match = /^name:\s*["']?([^"'#\r\n]+?)["']?\s*(?:#.*)?$/m.exec(text);
    if (match) return match[1];
  }
  return undefined;
}
