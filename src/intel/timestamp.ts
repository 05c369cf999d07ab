/**
 * @module intel/timestamp
 * Epoch milliseconds of an RFC 3339 timestamp (§5.6: `2026-03-02T08:00:00.123Z`, any number of
 * fraction digits, `Z` or a `±hh:mm` offset). Loading a million indicators parses two million of
 * these, and `Date.parse` costs several hundred nanoseconds each; the shape Vigil stores (ECS
 * `@timestamp`, STIX timestamps) is read here by hand, and anything else falls back to
 * `Date.parse`, so the result is always what `Date.parse` would give.
 */

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms", days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Epoch ms, or NaN when `text` is not a timestamp. */
export function parseTimestamp(text: string): number {
  const n = text.length;
  if (n < 20 || n > 35 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (text.charCodeAt(10) | 0x20) !== 116 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Date.parse(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(text);
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    // fraction: the first three digits are milliseconds (as Date.parse truncates)
    let scale = 100;
    i++;
    const fractionStart = i;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      millis += d * scale;
      scale /= 10;
    }
    if (i === fractionStart) return Date.parse(text);
    millis = Math.floor(millis);
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if ((zone | 0x20) === 122 && i === n - 1) {
    // Z
  } else if ((zone === 43 || zone === 45) && i === n - 6 && text.charCodeAt(i + 3) === 58) {
    const hours = digits(text, i + 1, 2);
    const minutes = digits(text, i + 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Date.parse(text);
    offsetMinutes = (zone === 43 ? 1 : -1) * (hours * 60 + minutes);
  } else {
    return Date.parse(text);
  }
  // A day the month does not have (Feb 30): let Date.parse decide, as it would.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (monthDays[month - 1] as number))) return Date.parse(text);
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}
