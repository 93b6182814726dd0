/**
 * Progress of long fetches on stderr. On a terminal: one live line, rewritten in place. Elsewhere (CI logs): a
 * plain line for each stage (signed in, method chosen, export requested), other events at most one line every
 * 10 seconds, and the last state at the end, each with the seconds since the start, so a log shows the fetch
 * is alive without growing a line per page.
 */
import type { ProgressEvent, ProgressListener } from "../http/types";
import type { CliIo } from "./io";

/** Minimum time between two non-stage lines when stderr is not a terminal. */
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

export function describeProgress(event: ProgressEvent): string {
  switch (event.kind) {
    case "token":
      return "signed in";
    case "page":
      return `page ${event.pages}: ${event.devices} devices so far`;
    case "export-requested":
      return `export generated ${event.generatedTime ?? "at an unknown time"}: ${event.parts} parts`;
    case "part":
      return `parts ${event.partsDone}/${event.partsTotal}: ${event.devices} devices so far`;
    case "rate-limit-wait":
      return `waiting ${Math.ceil(event.waitMs / 1000)}s to stay under the ${event.route} rate limit`;
    case "retry":
      return `${event.route}: ${event.reason}, retry ${event.attempt} in ${Math.ceil(event.waitMs / 1000)}s`;
    case "method":
      return `method ${event.method}: ${event.reason}`;
  }
}

const STAGES: ReadonlySet<ProgressEvent["kind"]> = new Set(["token", "method", "export-requested"]);

export interface ProgressPrinter {
  listener: ProgressListener;
  /** Clears the live line (terminal) or prints the last state not yet printed (plain). */
  end(): void;
}

export function progressPrinter(io: CliIo, clock: () => number = Date.now): ProgressPrinter {
  if (io.stderrIsTTY) {
    return {
      listener: (event) => {
        io.stderr.write(`\r\u001b[2K${describeProgress(event)}`);
        if (event.kind === "method" || event.kind === "export-requested") io.stderr.write("\n");
      },
      end: () => io.stderr.write("\r\u001b[2K"),
    };
  }
  const started = clock();
  let lastPrinted = -Infinity;
  let pending: ProgressEvent | null = null;
  const print = (event: ProgressEvent, at: number): void => {
    io.stderr.write(`progress [${Math.round((at - started) / 1000)}s] ${describeProgress(event)}\n`);
    lastPrinted = at;
    pending = null;
  };
  return {
    listener: (event) => {
      const at = clock();
      if (STAGES.has(event.kind) || at - lastPrinted >= PLAIN_PROGRESS_INTERVAL_MS) print(event, at);
      else pending = event;
    },
    end: () => {
      if (pending !== null) print(pending, clock());
    },
  };
}
