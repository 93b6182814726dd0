/**
 * ISO-8601 UTC formatting for generated fleets. Date#toISOString costs about a microsecond and a generated device
 * needs a dozen timestamps, which made it most of the cost of writing a million-device export; this formats from
 * the epoch milliseconds with a per-day cache of the date part.
 */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const DAY_MS = 86_400_000;
const datePrefixes = new Map<number, string>();

function datePrefix(day: number): string {
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    // The generated times span a few hundred days; the bound only guards against misuse.
    if (datePrefixes.size > 100_000) datePrefixes.clear();
    datePrefixes.set(day, prefix);
  }
  return prefix;
}

/** "2025-03-01T12:00:00Z" (whole seconds), or with ".mmm" when `millis` is true; same as toISOString otherwise. */
export function isoTime(ms: number, millis = false): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const time = `${datePrefix(day)}${TWO_DIGITS[hours] as string}:${TWO_DIGITS[minutes] as string}:${TWO_DIGITS[seconds] as string}`;
  if (!millis) return `${time}Z`;
  return `${time}.${String(Math.floor(rest - seconds * 1000)).padStart(3, "0")}Z`;
}
