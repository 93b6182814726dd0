/**
 * The pack's own files, which nothing the pack writes may replace or append to. Report directories, the GitHub
 * step summary and the history path can all be named by the gated stack; pointed at the pack's rule file (or a
 * symlink or hard link to it), an append would corrupt the very file that pins the gate.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";

export class PackFiles {
  private constructor(
    private readonly dirs: readonly string[],
    private readonly files: ReadonlySet<string>,
    /** `dev:ino` of each protected file, so a hard link elsewhere is recognised too. */
    private readonly inodes: ReadonlySet<string>,
  ) {}

  /** The pack directory (everything under it) and the given files, wherever they are. */
  static async of(packDir: string, files: readonly string[]): Promise<PackFiles> {
    const dirs = [path.resolve(packDir), await realTarget(packDir)];
    const resolved = new Set<string>();
    const inodes = new Set<string>();
    for (const file of files) {
      resolved.add(path.resolve(file));
      resolved.add(await realTarget(file));
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat) inodes.add(`${stat.dev}:${stat.ino}`);
    }
    return new PackFiles([...new Set(dirs)], resolved, inodes);
  }

  /** Why `target` must not be written, or undefined when it may be. */
  async refusal(target: string): Promise<string | undefined> {
    const candidates = [path.resolve(target), await realTarget(target)];
    for (const candidate of candidates) {
      const dir = this.dirs.find((d) => candidate === d || candidate.startsWith(`${d}${path.sep}`));
      if (dir !== undefined) return `${target} lies in the policy pack's directory ${dir}, whose files the pack never writes`;
      if (this.files.has(candidate)) return `${target} is one of the policy pack's own files (its rule file or a CA file it names)`;
    }
    const stat = await fs.stat(target).catch(() => undefined);
    if (stat && this.inodes.has(`${stat.dev}:${stat.ino}`)) return `${target} is a link to one of the policy pack's own files`;
    return undefined;
  }
}

/** The real path of target, or of its nearest existing ancestor joined with the rest (a file yet to be written). */
async function realTarget(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}
