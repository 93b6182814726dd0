/**
 * The history file on disk. Appends are one `appendFile` (O_APPEND) of a whole line: the kernel places each
 * write at the end of the file as it is then, so two processes appending at once both land whole. Only a file
 * whose last line has no newline (a writer crashed mid-line, or a hand edit) needs more than an append; that
 * repair runs under a lock file and looks at the file again before changing it.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";
import { historyLine, sameEvaluation } from "./entry";
import { withLock, writeFailed } from "./lock";
import { parseHistory } from "./parse";
import type { HistoryAppend, HistoryEntry, HistoryRead } from "./types";

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    // No file there (yet): the append creates it, or says why it cannot.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "";
    throw new AvHealthError(ErrorCodes.HISTORY_INVALID, `cannot read the history ${file} (${(error as NodeJS.ErrnoException).code ?? "unknown"})`, {
      cause: error,
      details: { file },
    });
  }
}

/** A missing file is an empty history (the first run creates it). `name` is how messages name the file. */
export async function readHistory(file: string, name: string = file): Promise<HistoryRead> {
  return parseHistory(await readText(file), name);
}

/**
 * Appends the entry unless it repeats the last one (same snapshot, same rule results). Reads the whole file
 * first, so a bad line fails the append before anything is written.
 */
export async function appendHistory(file: string, entry: HistoryEntry, name: string = file): Promise<HistoryAppend> {
  const text = await readText(file);
  const { entries, warnings } = parseHistory(text, name);
  const last = entries[entries.length - 1];
  if (last !== undefined && sameEvaluation(last, entry)) return { entries, warnings, appended: false };
  try {
    // A CI cache or artifact restore may not have made the directory yet.
    if (text === "") await fs.mkdir(path.dirname(file), { recursive: true });
    if (text === "" || text.endsWith("\n")) await fs.appendFile(file, historyLine(entry), "utf8");
    else await withLock(file, () => appendAfterRepair(file, entry));
  } catch (error) {
    throw error instanceof AvHealthError ? error : writeFailed(name, error);
  }
  return { entries: [...entries, entry], warnings, appended: true };
}

/** Under the lock: cut a crash-cut tail (parseHistory ignored it) or end a complete one, then append. */
async function appendAfterRepair(file: string, entry: HistoryEntry): Promise<void> {
  const text = await readText(file);
  if (text !== "" && !text.endsWith("\n")) {
    const tailStart = text.lastIndexOf("\n") + 1;
    const { entries } = parseHistory(text.slice(tailStart), file);
    if (entries.length === 0) await fs.truncate(file, Buffer.byteLength(text.slice(0, tailStart), "utf8"));
    else await fs.appendFile(file, "\n", "utf8");
  }
  await fs.appendFile(file, historyLine(entry), "utf8");
}
