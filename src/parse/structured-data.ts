/**
 * @module parse/structured-data
 * RFC 5424 STRUCTURED-DATA (§6.3): `-` or one or more `[SD-ID *(SP PARAM-NAME="PARAM-VALUE")]`,
 * read into ECS `log.syslog.structured_data` as `{ [SD-ID]: { [PARAM-NAME]: value } }`.
 * A PARAM-NAME repeated inside one element (allowed, §6.3.3) becomes an array of its values.
 */
import type { EcsObject, EcsValue } from '../core/event.js';
import { Malformed } from './normaliser.js';

/** SD-ID and PARAM-NAME are 1–32 PRINTUSASCII except `=`, SP, `]`, `"` (§6 SD-NAME). */
const SD_NAME_MAX = 32;

export interface StructuredDataScan {
  /** The elements, or undefined for NILVALUE. */
  data: EcsObject | undefined;
  /** Index just past the STRUCTURED-DATA. */
  end: number;
}

/** Index just past the SD-NAME at `at`, or `at` when there is none. */
function sdNameEnd(text: string, at: number): number {
  let i = at;
  const limit = Math.min(text.length, at + SD_NAME_MAX + 1);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 61 /* = */ || c === 93 /* ] */ || c === 34 /* " */) break;
    i++;
  }
  return i;
}

function addParam(params: EcsObject, name: string, value: string): void {
  if (name === '__proto__') return;
  const previous: EcsValue | undefined = params[name];
  if (previous === undefined) params[name] = value;
  else if (Array.isArray(previous)) previous.push(value);
  else params[name] = [previous, value];
}

/**
 * Reads the PARAM-VALUE whose opening `"` is at `open - 1`, undoing the §6.3.3 escapes `\"`, `\\`
 * and `\]`; a backslash before any other character is kept, as §6.3.3 requires. Returns the index
 * of the closing quote (or -1) and the value through `into`.
 */
function readParamValue(text: string, open: number, into: { value: string }): number {
  let segmentStart = open;
  let value = '';
  let i = open;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      into.value = value + text.slice(segmentStart, i);
      return i;
    }
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 34 || next === 92 || next === 93) {
        value += text.slice(segmentStart, i);
        segmentStart = i + 1;
        i += 2;
        continue;
      }
    }
    i++;
  }
  return -1;
}

/**
 * Reads STRUCTURED-DATA at `at` (§6.3). `label` prefixes error reasons. A repeated SD-ID, which
 * §6.3.2 forbids, is merged rather than refused: the parameters are still the sender's.
 */
export function scanStructuredData(text: string, at: number, label: string): StructuredDataScan | Malformed {
  const first = text.charCodeAt(at);
  if (first === 45 /* - */) return { data: undefined, end: at + 1 };
  if (first !== 91 /* [ */) {
    return new Malformed(`${label}: STRUCTURED-DATA must be "-" or start with "[" at column ${at + 1} (RFC 5424 §6.3)`);
  }
  const data: EcsObject = {};
  const slot = { value: '' };
  let i = at;
  while (text.charCodeAt(i) === 91) {
    const idEnd = sdNameEnd(text, i + 1);
    if (idEnd === i + 1 || idEnd - i - 1 > SD_NAME_MAX) {
      return new Malformed(`${label}: SD-ID must be 1–32 printable characters at column ${i + 2} (RFC 5424 §6.3.2)`);
    }
    const id = text.slice(i + 1, idEnd);
    let params = data[id];
    if (params === undefined || params === null || typeof params !== 'object' || Array.isArray(params)) {
      params = {};
      if (id !== '__proto__') data[id] = params;
    }
    i = idEnd;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 93) {
        i++;
        break;
      }
      if (c !== 32) {
        if (i >= text.length) return new Malformed(`${label}: SD-ELEMENT "${id}" is not closed with "]" (RFC 5424 §6.3.1)`);
        return new Malformed(`${label}: expected SP or "]" at column ${i + 1} in SD-ELEMENT "${id}" (RFC 5424 §6.3.1)`);
      }
      const nameEnd = sdNameEnd(text, i + 1);
      if (nameEnd === i + 1 || nameEnd - i - 1 > SD_NAME_MAX) {
        return new Malformed(`${label}: PARAM-NAME must be 1–32 printable characters at column ${i + 2} (RFC 5424 §6.3.3)`);
      }
      if (text.charCodeAt(nameEnd) !== 61 || text.charCodeAt(nameEnd + 1) !== 34) {
        return new Malformed(`${label}: expected ="…" after PARAM-NAME at column ${nameEnd + 1} (RFC 5424 §6.3.3)`);
      }
      const close = readParamValue(text, nameEnd + 2, slot);
      if (close < 0) return new Malformed(`${label}: PARAM-VALUE at column ${nameEnd + 2} is not closed with '"' (RFC 5424 §6.3.3)`);
      addParam(params, text.slice(i + 1, nameEnd), slot.value);
      i = close + 1;
    }
  }
  return { data, end: i };
}
