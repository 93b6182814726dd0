/** Durations of publications (--expires, --max-age, settings.fleet.signed.maxAge): an integer and m, h, d or w. */
import { AvHealthError, ErrorCodes } from "../errors";

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^([0-9]{1,6})([mhdw])$/;

export const PUBLICATION_DURATION_HINT = "write an integer followed by m, h, d or w (90m, 25h, 2d)";

/** Milliseconds, or null when the text is not a positive duration. */
export function parsePublicationDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (match === null) return null;
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return ms > 0 ? ms : null;
}

export function requireDuration(text: string, setting: string): number {
  const ms = parsePublicationDuration(text);
  if (ms === null) throw new AvHealthError(ErrorCodes.USAGE, `${setting} is "${text}", not a duration: ${PUBLICATION_DURATION_HINT}.`, { details: { setting } });
  return ms;
}

export function formatAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(minutes) < 120) return `${minutes}m`;
  const hours = Math.round(ms / 360_000) / 10;
  return `${hours}h`;
}
