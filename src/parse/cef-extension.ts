/**
 * @module parse/cef-extension
 * The Extension of an ArcSight CEF record ("Implementing ArcSight CEF" rev 25, "CEF Definition"):
 * space-separated `key=value` pairs where a value may itself contain spaces, so a value runs until
 * the space before the next `key=`. Values escape `\=` and `\\`, and write line breaks as `\n`
 * / `\r`; a pipe needs no escape there (it is only special in the header).
 */
import type { EcsObject } from '../core/event.js';
import { Malformed } from './normaliser.js';

/** A CEF extension key: letters, digits, `_` (dictionary keys and vendor `ad.x`-style keys: `.`, `-`). */
function isKey(text: string, start: number, end: number): boolean {
  if (end <= start || end - start > 64) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    if (!((lower >= 97 && lower <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45)) return false;
  }
  return true;
}

/**
 * The value in [start, end) without trailing spaces and with the escapes undone: `\=` `\\` `\n`
 * `\r` (rev 25), and `\|` from senders that escape pipes everywhere. Any other backslash is kept
 * as written, so a sloppy `C:\Windows` survives.
 */
function decodeValue(text: string, start: number, end: number): string {
  let stop = end;
  while (stop > start && text.charCodeAt(stop - 1) === 32) stop--;
  const backslash = text.indexOf('\\', start);
  if (backslash === -1 || backslash >= stop) return text.slice(start, stop);
  let out = '';
  let segment = start;
  for (let i = start; i < stop - 1; i++) {
    if (text.charCodeAt(i) !== 92) continue;
    const next = text.charCodeAt(i + 1);
    let replacement: string;
    if (next === 61 || next === 92 || next === 124) replacement = String.fromCharCode(next);
    else if (next === 110) replacement = '\n';
    else if (next === 114) replacement = '\r';
    else continue;
    out += text.slice(segment, i) + replacement;
    segment = i + 2;
    i++;
  }
  return out + text.slice(segment, stop);
}

/** True when the character at `i` is escaped: preceded by an odd run of backslashes after `floor`. */
function isEscaped(text: string, i: number, floor: number): boolean {
  let j = i - 1;
  while (j >= floor && text.charCodeAt(j) === 92) j--;
  return ((i - 1 - j) & 1) === 1;
}

function store(into: EcsObject, keys: string[], key: string, value: string): void {
  if (key === '__proto__') return;
  // A repeated key is listed twice; mapping it twice writes its last value twice, harmlessly.
  keys.push(key);
  into[key] = value;
}

/**
 * Reads the extension from `start` to the end of `text` into `into` (key → decoded value; a
 * repeated key keeps its last value) and appends each key to `keys`, in order. The scan jumps
 * from `=` to `=` with `indexOf`: an unescaped `=` preceded by ` key` ends the value before it; any
 * other `=` stays in the value, as senders that forget to escape it intend.
 */
export function scanCefExtension(text: string, start: number, into: EcsObject, keys: string[]): Malformed | undefined {
  let end = text.length;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    end--;
  }
  let pos = start;
  while (pos < end && text.charCodeAt(pos) === 32) pos++;
  if (pos >= end) return undefined;
  const first = text.indexOf('=', pos);
  if (first === -1 || first >= end || !isKey(text, pos, first)) {
    const shown = text.slice(pos, Math.min(end, pos + 24));
    return new Malformed(`cef: extension must start with key=value, found ${JSON.stringify(shown)} at column ${pos + 1}`);
  }
  let key = text.slice(pos, first);
  let valueStart = first + 1;
  let eq = text.indexOf('=', valueStart);
  while (eq !== -1 && eq < end) {
    if (!isEscaped(text, eq, valueStart)) {
      const space = text.lastIndexOf(' ', eq);
      if (space >= valueStart && isKey(text, space + 1, eq)) {
        store(into, keys, key, decodeValue(text, valueStart, space));
        key = text.slice(space + 1, eq);
        valueStart = eq + 1;
      }
    }
    eq = text.indexOf('=', eq + 1);
  }
  store(into, keys, key, decodeValue(text, valueStart, end));
  return undefined;
}
