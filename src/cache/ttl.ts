/** cacheTtl, the age up to which a cached snapshot is reused: as the provider input and `avhealth:cacheTtl` take it. */

/** Longest cacheTtl accepted: a day. */
export const MAX_CACHE_TTL_SECONDS = 24 * 60 * 60;
export const DEFAULT_CACHE_TTL_SECONDS = 5 * 60;

/** Seconds, or `<n>s|m|h`. Undefined when invalid or out of range. */
export function parseCacheTtl(value: unknown): number | undefined {
  let seconds: number | undefined;
  if (typeof value === "number") seconds = value;
  else if (typeof value === "string") {
    const match = /^\s*(\d+)\s*(s|m|h)?\s*$/.exec(value);
    if (match) seconds = Number(match[1]) * (match[2] === "h" ? 3600 : match[2] === "m" ? 60 : 1);
  }
  if (seconds === undefined || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_CACHE_TTL_SECONDS) return undefined;
  return seconds;
}

export const CACHE_TTL_HINT = `seconds (0..${MAX_CACHE_TTL_SECONDS}) or a duration such as 90s, 5m, 1h`;
