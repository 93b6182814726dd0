/**
 * Canonical times without Date for the shapes the API sends (`2024-05-01T10:00:00Z`, `...:00.1234567Z`,
 * `...+00:00`, no offset): ten time fields per device made Date.parse + toISOString the largest cost of
 * normalizing a large export. The result is exactly `new Date(x).toISOString()`; anything outside the plain
 * ranges (day 29-31, where Date rolls over; other offsets; other layouts) returns undefined for the Date path.
 */
const ZERO = 48;

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export function fastCanonicalTime(s: string): string | undefined {
  if (s.length < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || digits(s, 0, 4) < 0) return undefined;
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  let i = 19;
  let millis = "000";
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < s.length && s.charCodeAt(i) >= ZERO && s.charCodeAt(i) <= ZERO + 9) i++;
    if (i === start) return undefined;
    // Date keeps the first three fraction digits and drops the rest.
    millis = (s.slice(start, Math.min(i, start + 3)) + "00").slice(0, 3);
  }
  const rest = s.length - i;
  if (rest !== 0 && !(rest === 1 && (s[i] === "Z" || s[i] === "z")) && s.slice(i) !== "+00:00") return undefined;
  return `${s.slice(0, 19)}.${millis}Z`;
}
