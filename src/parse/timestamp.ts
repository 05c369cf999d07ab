/**
 * @module parse/timestamp
 * Hand-written timestamp readers shared by the normalisers. They return epoch milliseconds, or NaN
 * when the text is not a valid time, and never throw: the hot path parses millions of them, so no
 * `new Date(string)` (slow, and it guesses at non-ISO text) and no regular expressions.
 *
 * - `parseClfTime`: the Common Log Format time `10/Oct/2000:13:55:36 -0700` (Apache mod_log_config
 *   `%t`, nginx `$time_local`).
 * - `parseIso8601`: RFC 3339 / ISO 8601 extended date-times, with a default offset for zone-less text.
 * - `parseTimeValue`: a JSON value that may be ISO 8601 text, epoch seconds or epoch milliseconds.
 * - `isoFromMs`: epoch ms → `Date.prototype.toISOString()` form, or undefined when out of range.
 */

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Earliest and latest instants with a four-digit year, so `toISOString()` keeps its plain form. */
const MIN_MS = -62167219200000; // 0000-01-01T00:00:00Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Epoch ms of a calendar instant given in the zone `offsetMinutes` east of UTC. NaN when a part is
 * out of range (month 13, 31 February, hour 24…); a leap second (:60) is accepted and folded into
 * the next second, as ECS `date` fields cannot carry it.
 */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): number {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return NaN;
  const maxDay = month === 2 && !isLeap(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > maxDay) return NaN;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60000;
  // Date.UTC maps years 0–99 to 1900–1999; four-digit input years never hit that, but guard anyway.
  if (year < 100) return NaN;
  return t;
}

/** `00`…`99`, so that formatting a time is table look-ups and one concatenation. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + String(i));

/**
 * `Date.prototype.toISOString()` of an epoch-ms instant (`YYYY-MM-DDTHH:mm:ss.sssZ`), or undefined
 * when it is not a finite time with a four-digit year. Formatted by hand: `new Date(ms).toISOString()`
 * was a third of the nginx normaliser's time. The calendar arithmetic is the proleptic Gregorian
 * "civil from days" algorithm (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
 */
export function isoFromMs(ms: number): string | undefined {
  if (!(ms >= MIN_MS && ms <= MAX_MS)) return undefined;
  const t = Math.floor(ms);
  let days = Math.floor(t / 86400000);
  let rest = t - days * 86400000;
  const hour = Math.floor(rest / 3600000);
  rest -= hour * 3600000;
  const minute = Math.floor(rest / 60000);
  rest -= minute * 60000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  days += 719468; // days from 0000-03-01 to 1970-01-01
  const era = Math.floor(days / 146097);
  const doe = days - era * 146097; // day of the 400-year era, 0–146096
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // day of the March-based year
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return (
    (TWO_DIGITS[Math.floor(year / 100)] as string) +
    (TWO_DIGITS[year % 100] as string) + '-' +
    (TWO_DIGITS[month] as string) + '-' +
    (TWO_DIGITS[day] as string) + 'T' +
    (TWO_DIGITS[hour] as string) + ':' +
    (TWO_DIGITS[minute] as string) + ':' +
    (TWO_DIGITS[second] as string) + '.' +
    (milli < 100 ? (milli < 10 ? '00' : '0') : '') + String(milli) + 'Z'
  );
}

/** Value of `count` ASCII digits at `pos`, or -1 when any of them is not a digit. */
export function readDigits(text: string, pos: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const d = text.charCodeAt(pos + i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Month number (1–12) of the English three-letter abbreviation at `pos` (`Jan`…`Dec`, as strftime
 * `%b` writes it in the C locale that nginx and Apache use), or 0.
 */
export function monthFromAbbrev(text: string, pos: number): number {
  // Three lower-cased letters packed into one integer: a switch on numbers, no substring.
  const key =
    ((text.charCodeAt(pos) | 0x20) << 16) | ((text.charCodeAt(pos + 1) | 0x20) << 8) | (text.charCodeAt(pos + 2) | 0x20);
  switch (key) {
    case 0x6a616e: return 1; // jan
    case 0x666562: return 2; // feb
    case 0x6d6172: return 3; // mar
    case 0x617072: return 4; // apr
    case 0x6d6179: return 5; // may
    case 0x6a756e: return 6; // jun
    case 0x6a756c: return 7; // jul
    case 0x617567: return 8; // aug
    case 0x736570: return 9; // sep
    case 0x6f6374: return 10; // oct
    case 0x6e6f76: return 11; // nov
    case 0x646563: return 12; // dec
    default: return 0;
  }
}

/** Length of a Common Log Format time: `10/Oct/2000:13:55:36 -0700`. */
export const CLF_TIME_LENGTH = 26;

/**
 * Reads the Common Log Format time at `pos` (the text between `[` and `]`), fixed width as
 * Apache's `%t` ("[day/month/year:hour:minute:second zone]", mod_log_config "Custom Log Formats")
 * and nginx's `$time_local` write it. Returns epoch ms or NaN.
 */
export function parseClfTime(text: string, pos: number): number {
  if (
    text.charCodeAt(pos + 2) !== 47 /* / */ ||
    text.charCodeAt(pos + 6) !== 47 ||
    text.charCodeAt(pos + 11) !== 58 /* : */ ||
    text.charCodeAt(pos + 14) !== 58 ||
    text.charCodeAt(pos + 17) !== 58 ||
    text.charCodeAt(pos + 20) !== 32 /* space */
  ) {
    return NaN;
  }
  const day = readDigits(text, pos, 2);
  const month = monthFromAbbrev(text, pos + 3);
  const year = readDigits(text, pos + 7, 4);
  const hour = readDigits(text, pos + 12, 2);
  const minute = readDigits(text, pos + 15, 2);
  const second = readDigits(text, pos + 18, 2);
  const sign = text.charCodeAt(pos + 21);
  const oh = readDigits(text, pos + 22, 2);
  const om = readDigits(text, pos + 24, 2);
  if (day < 0 || month === 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || oh < 0 || om < 0) return NaN;
  if ((sign !== 43 /* + */ && sign !== 45) /* - */ || oh > 23 || om > 59) return NaN;
  const offset = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  return utcMs(year, month, day, hour, minute, second, 0, offset);
}

/**
 * Reads an ISO 8601 extended / RFC 3339 date-time: `YYYY-MM-DD`, optionally followed by `T` (or a
 * space, as RFC 3339 §5.6 NOTE allows) and `hh:mm[:ss[.fraction]]`, optionally a zone `Z`, `±hh:mm`,
 * `±hhmm` or `±hh`. A date-time without a zone is local time (ISO 8601 §4.2.2.2), read in the zone
 * `defaultOffsetMinutes` east of UTC; a bare date is midnight UTC. Digits past milliseconds are
 * truncated. Returns epoch ms or NaN, and NaN on trailing text.
 */
export function parseIso8601(text: string, defaultOffsetMinutes: number): number {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return NaN;
  if (n === 10) return utcMs(year, month, day, 0, 0, 0, 0, 0);
  const sep = text.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return NaN;
  if (n < 16 || text.charCodeAt(13) !== 58) return NaN;
  const hour = readDigits(text, 11, 2);
  const minute = readDigits(text, 14, 2);
  if (hour < 0 || minute < 0) return NaN;
  let pos = 16;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(pos) === 58) {
    second = readDigits(text, pos + 1, 2);
    if (second < 0) return NaN;
    pos += 3;
    const c = text.charCodeAt(pos);
    if (c === 46 /* . */ || c === 44 /* , ISO 8601 §4.2.2.4 */) {
      pos++;
      let digits = 0;
      while (pos < n) {
        const d = text.charCodeAt(pos) - 48;
        if (d < 0 || d > 9) break;
        if (digits < 3) ms = ms * 10 + d;
        digits++;
        pos++;
      }
      if (digits === 0) return NaN;
      for (let i = digits; i < 3; i++) ms *= 10;
    }
  }
  let offset = defaultOffsetMinutes;
  if (pos < n) {
    const z = text.charCodeAt(pos);
    if (z === 90 /* Z */ || z === 122 /* z */) {
      offset = 0;
      pos++;
    } else if (z === 43 || z === 45) {
      const oh = readDigits(text, pos + 1, 2);
      if (oh < 0 || oh > 23) return NaN;
      pos += 3;
      let om = 0;
      if (pos < n) {
        if (text.charCodeAt(pos) === 58) pos++;
        om = readDigits(text, pos, 2);
        if (om < 0 || om > 59) return NaN;
        pos += 2;
      }
      offset = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return NaN;
    }
  }
  if (pos !== n) return NaN;
  return utcMs(year, month, day, hour, minute, second, ms, offset);
}

/**
 * Epoch ms of a Unix epoch number whose unit is guessed from its size: below 1e11 it is seconds
 * (1e11 s is the year 5138; 1e11 ms is 1973), below 1e14 milliseconds, below 1e17 microseconds, else
 * nanoseconds. Fractional seconds are kept to the millisecond.
 */
export function epochToMs(value: number): number {
  if (!Number.isFinite(value)) return NaN;
  const abs = Math.abs(value);
  if (abs < 1e11) return Math.round(value * 1000);
  if (abs < 1e14) return Math.round(value);
  if (abs < 1e17) return Math.round(value / 1000);
  return Math.round(value / 1e6);
}

/** True when `text` is an optionally signed decimal number (digits, at most one point). */
function isNumericText(text: string): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= n) return false;
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !point) point = true;
    else return false;
  }
  return digits > 0;
}

/**
 * Epoch ms of a JSON time value: ISO 8601 text (see `parseIso8601`), or epoch seconds / milliseconds
 * (microseconds, nanoseconds) as a number or as numeric text. NaN for anything else.
 */
export function parseTimeValue(value: unknown, defaultOffsetMinutes: number): number {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string' || value.length === 0) return NaN;
  if (isNumericText(value)) return epochToMs(Number(value));
  return parseIso8601(value.trim(), defaultOffsetMinutes);
}
