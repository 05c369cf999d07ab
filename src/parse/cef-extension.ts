/**
 * @module parse/cef-extension
 * The Extension of an ArcSight CEF record ("Implementing ArcSight CEF" rev 25, "CEF Definition"):
 * space-separated `key=value` pairs where a value may itself contain spaces, so a value runs until
 * the space before the next `key=`. Values escape `\=` and `\\`, and write line breaks as `\n`
 * / `\r`; a pipe needs no escape there (it is only special in the header). Scanned in one pass.
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
function decodeValue(text: string, start: number, end: number, escaped: boolean): string {
  let stop = end;
  while (stop > start && text.charCodeAt(stop - 1) === 32) stop--;
  if (!escaped) return text.slice(start, stop);
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

function store(into: EcsObject, key: string, value: string): void {
  if (key !== '__proto__') into[key] = value;
}

/**
 * Reads the extension from `start` to the end of `text` into `into` (key → decoded value; a
 * repeated key keeps its last value). An `=` not preceded by ` key` stays in the value, as senders
 * that forget to escape it intend.
 */
export function scanCefExtension(text: string, start: number, into: EcsObject): Malformed | undefined {
  let end = text.length;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    end--;
  }
  let pos = start;
  while (pos < end && text.charCodeAt(pos) === 32) pos++;
  if (pos >= end) return undefined;
  const eq = text.indexOf('=', pos);
  if (eq === -1 || eq >= end || !isKey(text, pos, eq)) {
    const shown = text.slice(pos, Math.min(end, pos + 24));
    return new Malformed(`cef: extension must start with key=value, found ${JSON.stringify(shown)} at column ${pos + 1}`);
  }
  let key = text.slice(pos, eq);
  let valueStart = eq + 1;
  let lastSpace = -1;
  let escaped = false;
  for (let i = valueStart; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      escaped = true;
      i++;
    } else if (c === 32) {
      lastSpace = i;
    } else if (c === 61 /* = */ && lastSpace >= valueStart && isKey(text, lastSpace + 1, i)) {
      store(into, key, decodeValue(text, valueStart, lastSpace, escaped));
      key = text.slice(lastSpace + 1, i);
      valueStart = i + 1;
      lastSpace = -1;
      escaped = false;
    }
  }
  store(into, key, decodeValue(text, valueStart, end, escaped));
  return undefined;
}
