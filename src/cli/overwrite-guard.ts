/**
 * Nothing lost: before `check` writes anything, the files it reads or appends to (--baseline, --history) must not
 * be among the files it writes (the report files, the live fetch's snapshot). A baseline in the report directory
 * under the report's own name would otherwise be replaced by this run's report, silently.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";

export interface GuardedInput {
  /** As the user named it, e.g. "--baseline" or "settings.baseline". */
  source: string;
  /** Absolute. */
  path: string;
}

export interface PlannedOutput {
  /** What writes it, e.g. "the json report" or "--out". */
  what: string;
  /** Absolute. */
  path: string;
}

/** The path with its directory's symlinks resolved (when the directory exists), so two spellings compare equal. */
async function canonical(file: string): Promise<string> {
  const dir = await fs.realpath(path.dirname(file)).catch(() => path.dirname(file));
  const real = path.join(dir, path.basename(file));
  return fs.realpath(real).catch(() => real);
}

/** Throws USAGE (exit 2) naming the first input that an output of this run would overwrite or an input that is another. */
export async function refuseOverwrites(inputs: readonly GuardedInput[], outputs: readonly PlannedOutput[], shown: (file: string) => string): Promise<void> {
  const out = await Promise.all(outputs.map(async (o) => ({ ...o, key: await canonical(o.path) })));
  const seen: Array<GuardedInput & { key: string }> = [];
  for (const input of inputs) {
    const key = await canonical(input.path);
    const clash = out.find((o) => o.key === key);
    if (clash !== undefined) {
      throw new AvHealthError(
        ErrorCodes.USAGE,
        `${input.source} ${shown(input.path)} is the file ${clash.what} would write, so this run would overwrite it; ` +
          "copy it elsewhere or pick another --report-dir. Nothing was written.",
        { details: { file: input.path, source: input.source } },
      );
    }
    const twin = seen.find((s) => s.key === key);
    if (twin !== undefined) {
      throw new AvHealthError(
        ErrorCodes.USAGE,
        `${input.source} and ${twin.source} name the same file ${shown(input.path)}; appending the history would change the baseline. Nothing was written.`,
        { details: { file: input.path } },
      );
    }
    seen.push({ ...input, key });
  }
}
