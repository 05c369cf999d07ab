/**
 * @module parse/java-date-pattern
 * Reads a time written by a Java `SimpleDateFormat` pattern, as LEEF's `devTimeFormat` names one
 * for `devTime` (LEEF 2.0 guide, "Predefined event attributes"; e.g. `MMM dd yyyy HH:mm:ss`,
 * `yyyy-MM-dd'T'HH:mm:ss.SSSZ`). The pattern is interpreted while the value is read: no regular
 * expression is built per sensor and nothing is cached. Letters supported: y M d H k h K m s S a z
 * Z X E (names skipped), quoted literals; anything else in the pattern must match literally.
 */
import { zoneOffset } from './bsd-time.js';
import { monthFromAbbrev, utcMs } from './timestamp.js';

function isLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 97 && lower <= 122;
}

/**
 * Epoch ms of `value` read with `pattern`, in the zone `offsetMinutes` east of UTC unless the
 * pattern reads a zone. NaN when the value does not fit the pattern.
 */
export function parseWithJavaPattern(value: string, pattern: string, offsetMinutes: number): number {
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm = -1;
  let offset = offsetMinutes;
  let v = 0;
  let p = 0;
  const pn = pattern.length;
  const vn = value.length;
  while (p < pn) {
    const c = pattern.charCodeAt(p);
    if (c === 39 /* ' */) {
      // Quoted literal; '' is a quote.
      let q = p + 1;
      if (pattern.charCodeAt(q) === 39) {
        if (value.charCodeAt(v) !== 39) return NaN;
        v++;
        p += 2;
        continue;
      }
      while (q < pn && pattern.charCodeAt(q) !== 39) {
        if (value.charCodeAt(v) !== pattern.charCodeAt(q)) return NaN;
        v++;
        q++;
      }
      p = q + 1;
      continue;
    }
    if (!isLetter(c)) {
      if (value.charCodeAt(v) !== c) return NaN;
      v++;
      p++;
      continue;
    }
    let run = 1;
    while (pattern.charCodeAt(p + run) === c) run++;
    p += run;
    // Numbers: exactly `run` digits when the next pattern character is a letter (adjacent fields),
    // otherwise as many digits as are there (Java's lenient reading of `d`, `H`, `yyyy`…).
    const adjacent = p < pn && isLetter(pattern.charCodeAt(p));
    let number = -1;
    if (c !== 77 || run < 3) {
      if (c === 121 || c === 77 || c === 100 || c === 72 || c === 107 || c === 104 || c === 75 || c === 109 || c === 115 || c === 83) {
        const max = adjacent ? run : c === 83 ? 9 : Math.max(run, c === 121 ? 4 : 2);
        let digits = 0;
        number = 0;
        while (digits < max && v < vn) {
          const d = value.charCodeAt(v) - 48;
          if (d < 0 || d > 9) break;
          if (c !== 83 || digits < 3) number = number * 10 + d;
          digits++;
          v++;
        }
        if (digits === 0) return NaN;
        if (c === 83) for (let i = digits; i < 3; i++) number *= 10;
        if (c === 121 && digits === 2) number += 2000;
      }
    }
    switch (c) {
      case 121: year = number; break; // y
      case 77: // M
        if (run >= 3) {
          month = monthFromAbbrev(value, v);
          if (month === 0) return NaN;
          v += 3;
          if (run >= 4) while (v < vn && isLetter(value.charCodeAt(v))) v++;
        } else {
          month = number;
        }
        break;
      case 100: day = number; break; // d
      case 72: hour = number; break; // H 0–23
      case 107: hour = number === 24 ? 0 : number; break; // k 1–24
      case 104: hour = number === 12 ? 0 : number; break; // h 1–12
      case 75: hour = number; break; // K 0–11
      case 109: minute = number; break; // m
      case 115: second = number; break; // s
      case 83: ms = number; break; // S
      case 97: { // a
        const first = value.charCodeAt(v) | 0x20;
        if ((first !== 97 && first !== 112) || (value.charCodeAt(v + 1) | 0x20) !== 109) return NaN;
        pm = first === 112 ? 1 : 0;
        v += 2;
        break;
      }
      case 69: // E: day name, skipped
        while (v < vn && isLetter(value.charCodeAt(v))) v++;
        break;
      case 122: case 90: case 88: { // z Z X
        let end = v;
        while (end < vn && value.charCodeAt(end) !== 32) end++;
        offset = zoneOffset(value.slice(v, end));
        if (Number.isNaN(offset)) return NaN;
        v = end;
        break;
      }
      default:
        return NaN;
    }
  }
  if (v !== vn) return NaN;
  if (pm === 1 && hour < 12) hour += 12;
  return utcMs(year, month, day, hour, minute, second, ms, offset);
}
