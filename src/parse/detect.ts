/**
 * @module parse/detect
 * Format auto-detection for sensors that do not name their format, and the `auto` normaliser that
 * detects then delegates. Detection looks at a few characters at fixed places (and, for JSON text,
 * a few key names): it never parses the line, which the chosen normaliser does once.
 *
 * Order matters: JSON first (Windows, then ECS, then generic), then CEF and LEEF (alone or behind a
 * syslog header), RFC 5424 (`<PRI>1 `), BSD syslog (`<PRI>`, `Mmm dd hh:mm:ss`, or an RFC 3339
 * time then host), W3C extended logs (directives, or IIS's `yyyy-mm-dd hh:mm:ss` first field), and
 * last the NCSA access-log shape (`host - user [dd/Mon/yyyy:…] "`).
 */
import type { EcsObject, EcsValue } from '../core/event.js';
import { apacheNormaliser } from './apache.js';
import { cefNormaliser } from './cef.js';
import { ecsNormaliser } from './ecs.js';
import { jsonNormaliser } from './json.js';
import { leefNormaliser } from './leef.js';
import { nginxNormaliser } from './nginx.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { syslog3164Normaliser } from './syslog3164.js';
import { syslog5424Normaliser } from './syslog5424.js';
import { monthFromAbbrev } from './timestamp.js';
import { w3cNormaliser } from './w3c.js';
import { windowsNormaliser } from './windows.js';

export type DetectedFormat =
  | 'windows' | 'ecs' | 'json' | 'cef' | 'leef' | 'syslog5424' | 'syslog3164' | 'w3c' | 'nginx' | 'apache';

const delegates: Readonly<Record<DetectedFormat, Normaliser>> = {
  windows: windowsNormaliser,
  ecs: ecsNormaliser,
  json: jsonNormaliser,
  cef: cefNormaliser,
  leef: leefNormaliser,
  syslog5424: syslog5424Normaliser,
  syslog3164: syslog3164Normaliser,
  w3c: w3cNormaliser,
  nginx: nginxNormaliser,
  apache: apacheNormaliser,
};

/** How far into a line a syslog header may push the `CEF:` / `LEEF:` marker. */
const HEADER_REACH = 320;

function isObject(value: EcsValue | undefined): value is EcsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A decoded JSON object: Windows event, ECS document, or other JSON. */
function detectJsonObject(doc: EcsObject): DetectedFormat {
  const event = doc.Event;
  if (
    isObject(doc.winlog) ||
    doc['winlog.channel'] !== undefined ||
    (isObject(event) && isObject(event.System)) ||
    (doc.EventID !== undefined && doc.Channel !== undefined)
  ) {
    return 'windows';
  }
  if (doc['@timestamp'] !== undefined) {
    const ecs = doc.ecs;
    if (isObject(doc.event) || (isObject(ecs) && ecs.version !== undefined) || doc['ecs.version'] !== undefined) return 'ecs';
  }
  return 'json';
}

/** Index just past `"key"` and any `:` and blanks after it, or -1 when the key is absent. */
function valueAfterKey(text: string, quotedKey: string): number {
  const at = text.indexOf(quotedKey);
  if (at === -1) return -1;
  let i = at + quotedKey.length;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 58 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/** JSON text not decoded by the transport: the same decision from key names alone. */
function detectJsonText(text: string): DetectedFormat {
  if (
    text.indexOf('"winlog"') !== -1 ||
    text.indexOf('"winlog.channel"') !== -1 ||
    (text.indexOf('"Event"') !== -1 && text.indexOf('"System"') !== -1) ||
    (text.indexOf('"EventID"') !== -1 && text.indexOf('"Channel"') !== -1)
  ) {
    return 'windows';
  }
  if (text.indexOf('"@timestamp"') !== -1) {
    const event = valueAfterKey(text, '"event"');
    if ((event !== -1 && text.charCodeAt(event) === 123) || text.indexOf('"ecs"') !== -1 || text.indexOf('"ecs.version"') !== -1) {
      return 'ecs';
    }
  }
  return 'json';
}

/** CEF or LEEF after a syslog header: the marker within reach, preceded by a space (or a BOM). */
function payloadBehindHeader(text: string): DetectedFormat | null {
  const cef = text.lastIndexOf(' CEF:', HEADER_REACH);
  const leef = text.lastIndexOf(' LEEF:', HEADER_REACH);
  if (cef === -1 && leef === -1) {
    if (text.lastIndexOf('\uFEFFCEF:', HEADER_REACH) !== -1) return 'cef';
    if (text.lastIndexOf('\uFEFFLEEF:', HEADER_REACH) !== -1) return 'leef';
    return null;
  }
  // Both present (one quoted inside the other's payload): the earlier one is the payload.
  if (cef === -1) return 'leef';
  if (leef === -1) return 'cef';
  return cef < leef ? 'cef' : 'leef';
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `yyyy-mm-dd` at `at`. */
function isIsoDate(text: string, at: number): boolean {
  return isDigit(text.charCodeAt(at)) && isDigit(text.charCodeAt(at + 3)) && text.charCodeAt(at + 4) === 45 &&
    text.charCodeAt(at + 7) === 45 && isDigit(text.charCodeAt(at + 9));
}

/** `Mmm dd hh:mm:ss` (RFC 3164 §4.1.2) at `at`; also `Mmm d hh:mm:ss` and `Mmm dd yyyy hh:mm:ss`. */
function isBsdTime(text: string, at: number): boolean {
  if (monthFromAbbrev(text, at) === 0 || text.charCodeAt(at + 3) !== 32) return false;
  return (
    (text.charCodeAt(at + 9) === 58 && text.charCodeAt(at + 12) === 58) ||
    (text.charCodeAt(at + 8) === 58 && text.charCodeAt(at + 11) === 58) ||
    (text.charCodeAt(at + 14) === 58 && text.charCodeAt(at + 17) === 58)
  );
}

/** NCSA access log: `host ident user [dd/Mon/yyyy:hh:mm:ss zone] "`; Apache's vhost adds one field. */
function detectAccessLog(text: string): DetectedFormat | null {
  const open = text.indexOf(' [');
  if (open === -1 || open > 300) return null;
  const t = open + 2;
  if (text.charCodeAt(t + 2) !== 47 || text.charCodeAt(t + 6) !== 47 || text.charCodeAt(t + 11) !== 58) return null;
  if (text.charCodeAt(t + 26) !== 93 /* ] */ || text.charCodeAt(t + 28) !== 34 /* " */) return null;
  let spaces = 0;
  for (let i = 0; i < open; i++) if (text.charCodeAt(i) === 32) spaces++;
  if (spaces === 2) return 'nginx';
  if (spaces === 3) return 'apache';
  return null;
}

/** The format of a record, or null when none of the known shapes matches. */
export function detectFormat(record: RawRecord): DetectedFormat | null {
  if (record.json !== undefined) return detectJsonObject(record.json);
  const text = record.text;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xfeff) break;
    i++;
  }
  const first = text.charCodeAt(i);
  if (first === 123 /* { */) return detectJsonText(text);
  if (text.startsWith('CEF:', i)) return 'cef';
  if (text.startsWith('LEEF:', i)) return 'leef';
  if (first === 60 /* < */) {
    let j = i + 1;
    while (j < i + 4 && isDigit(text.charCodeAt(j))) j++;
    if (j === i + 1 || text.charCodeAt(j) !== 62 /* > */) return null;
    const payload = payloadBehindHeader(text);
    if (payload !== null) return payload;
    // VERSION 1 then SP (RFC 5424 §6.2.2); anything else after PRI is BSD.
    return text.charCodeAt(j + 1) === 49 && text.charCodeAt(j + 2) === 32 ? 'syslog5424' : 'syslog3164';
  }
  if (first === 35 /* # */) {
    return text.startsWith('#Fields:', i) || text.startsWith('#Software:', i) || text.startsWith('#Version:', i) ||
      text.startsWith('#Date:', i) || text.startsWith('#Remark:', i)
      ? 'w3c'
      : null;
  }
  if (isIsoDate(text, i)) {
    const sep = text.charCodeAt(i + 10);
    // IIS W3C: date and time are two space-separated fields.
    if (sep === 32 && text.charCodeAt(i + 13) === 58) return 'w3c';
    // An RFC 3339 time then host: rsyslog/syslog-ng file output.
    if (sep === 84 || sep === 116) return payloadBehindHeader(text) ?? 'syslog3164';
    return null;
  }
  if (isBsdTime(text, i) || (first === 42 /* * */ && isBsdTime(text, i + 1))) {
    return payloadBehindHeader(text) ?? 'syslog3164';
  }
  return detectAccessLog(text);
}

function normalise(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const format = detectFormat(record);
  if (format === null) return new Malformed('auto: no known format matches the line');
  return delegates[format].normalise(record, ctx);
}

/** Detects each record's format and hands it to that format's normaliser. */
export const autoNormaliser: Normaliser = { format: 'auto', normalise };
