/**
 * @module intel/stix/timestamp
 * STIX timestamps (STIX 2.1 §2.16): RFC 3339 `YYYY-MM-DDTHH:mm:ss[.s+]Z`, always UTC with the `Z`
 * designator, any number of sub-second digits. Pattern timestamp constants (`t'…'`, §9.2) use the
 * same form. Instants are kept as whole epoch seconds plus nanoseconds so that comparisons "as
 * instants" (§9.6.1) stay exact beyond the millisecond a JS `Date` holds; digits past the
 * nanosecond are ignored (§2.16.1 warns that they may not survive interchange anyway).
 */

/** The §2.16.1 form. A leap second (`:60`) is allowed, as RFC 3339 §5.6 allows it. */
const TIMESTAMP_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.(\d+))?Z$/;

/** An instant: seconds since the Unix epoch (UTC) and the nanoseconds within that second. */
export interface Instant {
  seconds: number;
  nanos: number;
}

/** Parses a STIX timestamp; null when it is not in the §2.16.1 form or names no calendar day. */
export function parseStixTimestamp(text: string): Instant | null {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  // RFC 3339 §5.7: the day must exist in that month of that year (no 30 February).
  if (day > daysInMonth(year, month)) return null;
  // Date.UTC rolls a leap second over into the next minute, which is the instant it denotes.
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const fraction = m[7] ?? '';
  const nanos = fraction === '' ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  return { seconds, nanos };
}

export function isStixTimestamp(text: string): boolean {
  return parseStixTimestamp(text) !== null;
}

/** True when the timestamp carries at least millisecond precision (§3.2 `created`/`modified`). */
export function hasMillisecondPrecision(text: string): boolean {
  return /\.\d{3,}Z$/.test(text);
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/** Milliseconds since the epoch, with the sub-millisecond part as a fraction. */
export function instantToMillis(i: Instant): number {
  return i.seconds * 1000 + i.nanos / 1e6;
}

/** Formats a JS date or epoch milliseconds as a STIX timestamp with millisecond precision. */
export function toStixTimestamp(value: Date | number | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid instant: ${String(value)}`);
  return date.toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
