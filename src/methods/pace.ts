/**
 * The pace of a part download: the dispatcher's body timeout only bounds the gap between two chunks, so a
 * server that sends a byte now and then would hold a download forever. A download slower than its pace fails
 * as EXPORT_PART_FAILED, a broken part like any other (downloaded again, then reported as missing).
 */
import { Transform, type TransformCallback } from "node:stream";
import { AvHealthError, ErrorCodes } from "../errors";

/**
 * How slow a part download may be before it counts as broken (and is downloaded again, up to the retries):
 * each `windowMs` must bring at least `minBytesPerSecond` on average, and the whole download must end within
 * `deadlineMs`.
 */
export interface PartPace {
  minBytesPerSecond: number;
  windowMs: number;
  deadlineMs: number;
}

/** 8 KiB/s over a minute (a link that slow takes a day per GB); an hour for a whole part (a GB at 300 KB/s). */
export const DEFAULT_PART_PACE: PartPace = { minBytesPerSecond: 8 * 1024, windowMs: 60_000, deadlineMs: 60 * 60_000 };

/** Passes bytes through, and fails the download when they come slower than the pace allows. */
export class PaceGuard extends Transform {
  private windowBytes = 0;
  private total = 0;
  private readonly timers: NodeJS.Timeout[];

  constructor(
    private readonly pace: PartPace,
    private readonly name: string,
  ) {
    super();
    const minimum = (pace.minBytesPerSecond * pace.windowMs) / 1000;
    this.timers = [
      setInterval(() => {
        if (this.windowBytes < minimum) this.fail(`${this.windowBytes} bytes in the last ${seconds(pace.windowMs)}, below the minimum of ${pace.minBytesPerSecond} bytes/s`);
        this.windowBytes = 0;
      }, pace.windowMs),
      setTimeout(() => this.fail(`still downloading after ${seconds(pace.deadlineMs)}`), pace.deadlineMs),
    ];
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.windowBytes += chunk.length;
    this.total += chunk.length;
    callback(null, chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.timers.forEach(clearTimeout);
    callback(error);
  }

  override _flush(callback: TransformCallback): void {
    this.timers.forEach(clearTimeout);
    callback();
  }

  private fail(problem: string): void {
    this.destroy(
      new AvHealthError(ErrorCodes.EXPORT_PART_FAILED, `${this.name}: the download is too slow (${problem}; ${this.total} bytes received).`, {
        details: { reason: "too-slow", bytes: this.total, ...this.pace },
      }),
    );
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
