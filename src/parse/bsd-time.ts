/**
 * @module parse/bsd-time
 * The BSD syslog timestamp `Mmm dd hh:mm:ss` (RFC 3164 §4.1.2) and the year-bearing relatives
 * devices write in its place (`Mmm dd yyyy hh:mm:ss`, Cisco ASA; `MMM dd yyyy HH:mm:ss.SSS zzz`,
 * the ArcSight CEF `rt` form). It has no year and no zone: the zone is the sensor's configured
 * offset, and the year is the receiver's, moved back one when that puts the event more than a few
 * days in the future (December lines read in January).
 */
import { monthFromAbbrev, readDigits, utcMs } from './timestamp.js';

/** How far ahead of arrival a year-less time may be before it is taken as last year's. */
const FUTURE_TOLERANCE_MS = 3 * 86_400_000;

export interface TimeScan {
  /** Epoch ms. */
  ms: number;
  /** Index just past the time text. */
  end: number;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Reads a BSD timestamp at `at`: `Mmm`, one or two spaces, a day of one or two digits (RFC 3164
 * §4.1.2 pads with a space; many senders pad with `0` or not at all), an optional four-digit year,
 * `hh:mm:ss` and an optional `.fraction`. A leading `*` or `.` (Cisco's unsynchronised-clock mark)
 * is skipped. Returns null when the text is not such a time.
 */
export function scanBsdTime(text: string, at: number, offsetMinutes: number, receivedAt: number): TimeScan | null {
  let pos = at;
  const first = text.charCodeAt(pos);
  if (first === 42 /* * */ || first === 46 /* . */) pos++;
  const month = monthFromAbbrev(text, pos);
  if (month === 0 || text.charCodeAt(pos + 3) !== 32) return null;
  pos += 4;
  if (text.charCodeAt(pos) === 32) pos++;
  let day = readDigits(text, pos, 1);
  if (day < 0) return null;
  pos++;
  if (isDigit(text.charCodeAt(pos))) {
    day = day * 10 + (text.charCodeAt(pos) - 48);
    pos++;
  }
  if (text.charCodeAt(pos) !== 32) return null;
  pos++;
  let year = -1;
  if (text.charCodeAt(pos + 4) === 32) {
    year = readDigits(text, pos, 4);
    if (year < 0) return null;
    pos += 5;
  }
  if (text.charCodeAt(pos + 2) !== 58 || text.charCodeAt(pos + 5) !== 58) return null;
  const hour = readDigits(text, pos, 2);
  const minute = readDigits(text, pos + 3, 2);
  const second = readDigits(text, pos + 6, 2);
  if (hour < 0 || minute < 0 || second < 0) return null;
  pos += 8;
  let ms = 0;
  if (text.charCodeAt(pos) === 46 && isDigit(text.charCodeAt(pos + 1))) {
    pos++;
    let digits = 0;
    while (isDigit(text.charCodeAt(pos))) {
      if (digits < 3) ms = ms * 10 + (text.charCodeAt(pos) - 48);
      digits++;
      pos++;
    }
    for (let i = digits; i < 3; i++) ms *= 10;
  }
  let t: number;
  if (year >= 0) {
    t = utcMs(year, month, day, hour, minute, second, ms, offsetMinutes);
  } else {
    year = new Date(receivedAt + offsetMinutes * 60_000).getUTCFullYear();
    t = utcMs(year, month, day, hour, minute, second, ms, offsetMinutes);
    // Also taken when NaN: 29 February in a non-leap receiving year can only be an earlier year's.
    if (!(t <= receivedAt + FUTURE_TOLERANCE_MS)) {
      t = utcMs(year - 1, month, day, hour, minute, second, ms, offsetMinutes);
    }
  }
  if (Number.isNaN(t)) return null;
  return { ms: t, end: pos };
}

/**
 * Offset in minutes east of UTC of a zone written after a time: `Z`, `UTC`, `GMT`, `±hh:mm`,
 * `±hhmm`, `GMT+07:00`, or the Vietnamese `ICT` (UTC+7). NaN for anything else (named zones are
 * ambiguous without a tz database; callers then fall back to the sensor's offset).
 */
export function zoneOffset(zone: string): number {
  let z = zone;
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  if (z === 'ICT') return 420;
  if (z.startsWith('UTC') || z.startsWith('GMT')) z = z.slice(3);
  const sign = z.charCodeAt(0);
  if (sign !== 43 && sign !== 45) return NaN;
  const hours = readDigits(z, 1, 2);
  let pos = 3;
  if (z.charCodeAt(pos) === 58) pos++;
  const minutes = z.length === 3 ? 0 : readDigits(z, pos, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || (z.length !== 3 && z.length !== pos + 2)) return NaN;
  return (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
}
