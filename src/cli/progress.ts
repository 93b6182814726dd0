/** Progress of long fetches on stderr, only when stderr is a terminal (CI logs stay clean). */
import type { ProgressEvent, ProgressListener } from "../http/types";
import type { CliIo } from "./io";

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

export function progressPrinter(io: CliIo): ProgressListener | undefined {
  if (!io.stderrIsTTY) return undefined;
  return (event) => {
    io.stderr.write(`\r\u001b[2K${describeProgress(event)}`);
    if (event.kind === "method" || event.kind === "export-requested") io.stderr.write("\n");
  };
}

export function endProgress(io: CliIo): void {
  if (io.stderrIsTTY) io.stderr.write("\r\u001b[2K");
}
