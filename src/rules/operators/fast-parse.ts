/**
 * Allocation-free readers for the two device value kinds that every large evaluation meets millions of times:
 * canonical ISO timestamps and dotted versions. Each falls back to (or mirrors) the general parser, so results
 * never differ from Date.parse / compareVersions; they only skip the allocation and the generic grammar.
 */

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). A day past the end of its
 * month rolls over into the next, exactly as Date.UTC and V8's Date.parse do (2026-02-30 is March 2).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Epoch ms of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` (what normalized snapshots carry) by plain
 * arithmetic, else Date.parse; the tests hold both to the same answers.
 */
export function parseIsoUtc(text: string): number {
  const n = text.length;
  if (
    (n === 24 || n === 20) &&
    text.charCodeAt(n - 1) === 90 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    (n === 20 || text.charCodeAt(19) === 46)
  ) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    const ms = n === 24 ? digits(text, 20, 3) : 0;
    // Years below 100 and hour 24 have special readings in Date.parse: leave them to it.
    if (year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && ms >= 0) {
      return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
    }
  }
  return Date.parse(text);
}

/**
 * Sign of (text - expected) comparing part by part as integers, missing parts 0; null when text is not
 * dotted-numeric. `expected` is a canonical Version's parts (no leading zeros, no trailing zero parts).
 */
export function compareVersionText(text: string, expected: readonly string[]): number | null {
  const n = text.length;
  let result = 0;
  let part = 0;
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === i || (j < n && text.charCodeAt(j) !== 46)) return null;
    if (result === 0) result = comparePart(text, i, j, part < expected.length ? (expected[part] as string) : "0");
    part++;
    if (j === n) break;
    i = j + 1;
    if (i === n) return null;
  }
  if (result === 0) for (let k = part; k < expected.length; k++) if (expected[k] !== "0") return -1;
  return result;
}

function comparePart(text: string, from: number, to: number, want: string): number {
  let start = from;
  while (start < to - 1 && text.charCodeAt(start) === 48) start++;
  const length = to - start;
  if (length !== want.length) return length < want.length ? -1 : 1;
  for (let k = 0; k < length; k++) {
    const difference = text.charCodeAt(start + k) - want.charCodeAt(k);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}
