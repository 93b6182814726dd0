/**
 * Progress of a long fetch as plain lines. The provider writes them to stderr, which the Pulumi CLI shows as
 * diagnostics of the resource. Lines are throttled so a 1,000,000-device export does not flood the output.
 */
import type { ProgressEvent, ProgressListener } from "../src/http/types";

export interface ProgressLogger {
  listener: ProgressListener;
  /** Writes a line now, whatever the throttle. */
  say(text: string): void;
}

export function createProgressLogger(write: (line: string) => void, clock: () => number = Date.now, intervalMs = 2000): ProgressLogger {
  let last = Number.NEGATIVE_INFINITY;
  const say = (text: string) => {
    last = clock();
    write(`avhealth: ${text}`);
  };
  return {
    say,
    listener(event: ProgressEvent) {
      const text = describeProgress(event);
      // Method choice and waits are always worth a line; counters only every intervalMs.
      const always = event.kind === "method" || event.kind === "rate-limit-wait" || event.kind === "export-requested";
      if (always || clock() - last >= intervalMs) say(text);
    },
  };
}

export function describeProgress(event: ProgressEvent): string {
  switch (event.kind) {
    case "token":
      return "token acquired";
    case "page":
      return `page ${event.pages}: ${event.devices} devices so far`;
    case "export-requested":
      return `file export ready: ${event.parts} parts${event.generatedTime ? ` (generated ${event.generatedTime})` : ""}`;
    case "part":
      return `export part ${event.partsDone}/${event.partsTotal}: ${event.devices} devices so far`;
    case "rate-limit-wait":
      return `waiting ${Math.ceil(event.waitMs / 1000)}s to stay under the ${event.route} rate limit`;
    case "retry":
      return `retrying ${event.route} (attempt ${event.attempt}, ${event.reason}) in ${Math.ceil(event.waitMs / 1000)}s`;
    case "method":
      return `using the ${event.method} method: ${event.reason}`;
  }
}
