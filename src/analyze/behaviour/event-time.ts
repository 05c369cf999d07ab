/**
 * @module analyze/behaviour/event-time
 * `@timestamp` to epoch milliseconds, fast. `Date.parse` costs more than the rest of an event's
 * analysis, so the ISO 8601 / RFC 3339 forms sensors send (`2026-03-02T09:15:04.123Z`, with an
 * offset `+07:00` or `+0700`, a space for the `T`, any number of fraction digits) are read by hand;
 * anything else goes to `Date.parse`. A time without a zone is read as UTC — ECS `@timestamp` is
 * UTC, and the machine's zone must not change an analysis. Out-of-range days and hour 24 roll over
 * as `Date.parse` rolls them; minutes or seconds past 59 are invalid (NaN).
 */

const dayMs = 86_400_000;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number of `count` digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Offset east of UTC in minutes of a zone at `at` to the end (`Z`, `±HH:MM`, `±HHMM`, `±HH`, none), or NaN. */
function zoneMinutes(text: string, at: number): number {
  if (at === text.length) return 0;
  const c = text.charCodeAt(at);
  if (c === 90 || c === 122) return at + 1 === text.length ? 0 : Number.NaN;
  if (c !== 43 && c !== 45) return Number.NaN;
  const rest = text.length - at - 1;
  const hours = digits(text, at + 1, 2);
  let minutes = 0;
  if (rest === 5 && text.charCodeAt(at + 3) === 58) minutes = digits(text, at + 4, 2);
  else if (rest === 4) minutes = digits(text, at + 3, 2);
  else if (rest !== 2) return Number.NaN;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN;
  return (c === 45 ? -1 : 1) * (hours * 60 + minutes);
}

/** Epoch ms of an ISO 8601 timestamp; NaN when it is not one. */
export function parseEventTime(text: string): number {
  const dateTimeSeparator = text.charCodeAt(10);
  if (text.length < 16 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (dateTimeSeparator !== 84 && dateTimeSeparator !== 32) || text.charCodeAt(13) !== 58) return Date.parse(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 24 || minute < 0 || minute > 59) return Number.NaN;
  let at = 16;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(at) === 58) {
    second = digits(text, at + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    at += 3;
    if (text.charCodeAt(at) === 46) {
      at++;
      let scale = 100;
      const start = at;
      for (let d = text.charCodeAt(at) - 48; d >= 0 && d <= 9; d = text.charCodeAt(at) - 48) {
        ms += d * scale;
        scale /= 10;
        at++;
      }
      if (at === start) return Number.NaN;
      ms = Math.floor(ms);
    }
  }
  const zone = zoneMinutes(text, at);
  if (Number.isNaN(zone)) return Number.NaN;
  return daysFromCivil(year, month, day) * dayMs + ((hour * 60 + minute - zone) * 60 + second) * 1000 + ms;
}
