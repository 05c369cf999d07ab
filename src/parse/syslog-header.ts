/**
 * @module parse/syslog-header
 * Syslog headers, shared by the syslog normalisers and by CEF and LEEF (which usually arrive inside
 * syslog): the RFC 5424 HEADER and STRUCTURED-DATA (§6), the BSD header of RFC 3164 (§4.1) with
 * the variants devices really send (ISO timestamp, no HOSTNAME, no PRI when relayed from files),
 * and the ECS `log.syslog.*` / `host.hostname` fields they fill.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import { scanBsdTime } from './bsd-time.js';
import { parseCount } from './network-values.js';
import type { NormaliseContext } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { scanStructuredData } from './structured-data.js';
import { FACILITY_NAMES, NO_PRIORITY, SEVERITY_NAMES, priorityEnd, scanPriority } from './syslog-priority.js';
import { parseIso8601 } from './timestamp.js';

export interface SyslogHeader {
  /** PRIVAL, or `NO_PRIORITY` (a BSD line relayed from a file). */
  priority: number;
  /** 1 for RFC 5424; 0 for a BSD header. */
  version: number;
  /** Epoch ms; NaN when the header has none (RFC 5424 NILVALUE, a BSD line without TIMESTAMP). */
  timestamp: number;
  hostname: string | undefined;
  appname: string | undefined;
  procid: string | undefined;
  msgid: string | undefined;
  structuredData: EcsObject | undefined;
  /** Index of the first character of MSG (past a §6.4 BOM). */
  msgStart: number;
}

/** Longest token a column shows in an error reason. */
const QUOTE_MAX = 40;

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text);
}

/** RFC 5424 §6 header fields after VERSION, with their ABNF maximum lengths. */
const HEADER_FIELDS: readonly (readonly [name: string, max: number])[] = [
  ['TIMESTAMP', 64],
  ['HOSTNAME', 255],
  ['APP-NAME', 48],
  ['PROCID', 128],
  ['MSGID', 32],
];

/**
 * Reads an RFC 5424 HEADER SP STRUCTURED-DATA (§6) at the start of `text`. A TIMESTAMP without an
 * offset, which §6.2.3 forbids, is read in the sensor's zone instead of refusing the line.
 */
export function scanSyslog5424Header(text: string, label: string, offsetMinutes: number): SyslogHeader | Malformed {
  const priority = scanPriority(text, label);
  if (priority instanceof Malformed) return priority;
  if (priority === NO_PRIORITY) return new Malformed(`${label}: expected PRI "<0–191>" at the start (RFC 5424 §6.2.1)`);
  let pos = priorityEnd(text);
  // VERSION = NONZERO-DIGIT 0*2DIGIT (§6.2.2); only 1 is defined.
  let version = 0;
  const versionStart = pos;
  while (pos < text.length && pos - versionStart < 4) {
    const d = text.charCodeAt(pos) - 48;
    if (d < 0 || d > 9) break;
    version = version * 10 + d;
    pos++;
  }
  if (pos === versionStart || text.charCodeAt(pos) !== 32) {
    return new Malformed(`${label}: expected VERSION and SP after PRI at column ${versionStart + 1} (RFC 5424 §6.2.2)`);
  }
  if (version !== 1) return new Malformed(`${label}: unsupported VERSION ${version} (RFC 5424 §6.2.2 defines 1)`);
  pos++;
  const values: (string | undefined)[] = [];
  let timestamp = NaN;
  for (const [name, max] of HEADER_FIELDS) {
    const end = text.indexOf(' ', pos);
    if (end === -1) {
      return new Malformed(`${label}: header ends inside ${name}; expected ${name} SP … STRUCTURED-DATA (RFC 5424 §6)`);
    }
    if (end === pos) return new Malformed(`${label}: empty ${name} at column ${pos + 1} (RFC 5424 §6: NILVALUE is "-")`);
    if (end - pos > max) return new Malformed(`${label}: ${name} longer than ${max} characters (RFC 5424 §6)`);
    const nil = end - pos === 1 && text.charCodeAt(pos) === 45;
    if (name === 'TIMESTAMP') {
      if (!nil) {
        const token = text.slice(pos, end);
        timestamp = parseIso8601(token, offsetMinutes);
        if (Number.isNaN(timestamp)) return new Malformed(`${label}: invalid TIMESTAMP ${quote(token)} (RFC 5424 §6.2.3)`);
      }
    } else {
      values.push(nil ? undefined : text.slice(pos, end));
    }
    pos = end + 1;
  }
  const sd = scanStructuredData(text, pos, label);
  if (sd instanceof Malformed) return sd;
  let msgStart = sd.end;
  if (msgStart < text.length) {
    if (text.charCodeAt(msgStart) !== 32) {
      return new Malformed(`${label}: expected SP or end of line after STRUCTURED-DATA at column ${msgStart + 1} (RFC 5424 §6)`);
    }
    msgStart++;
    // §6.4: MSG-UTF8 starts with a BOM, which is not part of the message.
    if (text.charCodeAt(msgStart) === 0xfeff) msgStart++;
  }
  return {
    priority,
    version,
    timestamp,
    hostname: values[0],
    appname: values[1],
    procid: values[2],
    msgid: values[3],
    structuredData: sd.data,
    msgStart,
  };
}

/** Index of the next SP at or after `at`, or `limit`. */
function tokenEnd(text: string, at: number, limit: number): number {
  const sp = text.indexOf(' ', at);
  return sp === -1 || sp > limit ? limit : sp;
}

function skipSpaces(text: string, at: number, limit: number): number {
  let i = at;
  while (i < limit && text.charCodeAt(i) === 32) i++;
  return i;
}

/** Reads a TAG token `name[pid]:` / `name:` / `name` in [start, end) into `h`. */
function readTag(text: string, start: number, end: number, h: SyslogHeader): void {
  let nameEnd = text.charCodeAt(end - 1) === 58 ? end - 1 : end;
  if (text.charCodeAt(nameEnd - 1) === 93 /* ] */) {
    const open = text.lastIndexOf('[', nameEnd - 1);
    if (open > start) {
      h.procid = text.slice(open + 1, nameEnd - 1);
      nameEnd = open;
    }
  }
  if (nameEnd > start) h.appname = text.slice(start, nameEnd);
}

/** A token ending in `:` that is short enough to be a TAG (RFC 3164 §4.1.3: TAG then `[` or `:`). */
function isTagToken(text: string, start: number, end: number): boolean {
  return end - start >= 2 && end - start <= 64 && text.charCodeAt(end - 1) === 58;
}

/**
 * Reads the BSD header (RFC 3164 §4.1) at the start of `text`: an optional PRI (§4.1.1; missing on
 * lines relayed from files), TIMESTAMP (§4.1.2, or an RFC 3339 time as rsyslog and syslog-ng write
 * it), HOSTNAME (§4.1.2; some devices leave it out) and the TAG of §4.1.3 (`sshd[812]:`).
 *
 * Without `payloadAt` (-1) HOSTNAME and TAG are told apart by shape: a first token that ends in `:`
 * is a TAG, so there is no HOSTNAME. With `payloadAt` (CEF/LEEF, whose payload marker is known),
 * the tokens before it are HOSTNAME then TAG, with or without its colon.
 *
 * A PRI followed by no valid TIMESTAMP is kept, as a relay does (§4.3.2): the rest is MSG, and
 * `timestamp` is NaN so that the caller uses the arrival time.
 */
export function scanBsdHeader(text: string, label: string, ctx: NormaliseContext, payloadAt: number): SyslogHeader | Malformed {
  const priority = scanPriority(text, label);
  if (priority instanceof Malformed) return priority;
  let pos = priority === NO_PRIORITY ? 0 : priorityEnd(text);
  if (priority !== NO_PRIORITY && text.charCodeAt(pos) === 32) pos++;
  const h: SyslogHeader = {
    priority,
    version: 0,
    timestamp: NaN,
    hostname: undefined,
    appname: undefined,
    procid: undefined,
    msgid: undefined,
    structuredData: undefined,
    msgStart: 0,
  };
  const limit = payloadAt >= 0 ? payloadAt : text.length;
  const c = text.charCodeAt(pos);
  let hasTime = false;
  if (c >= 48 && c <= 57) {
    const end = tokenEnd(text, pos, text.length);
    h.timestamp = parseIso8601(text.slice(pos, end), ctx.tzOffsetMinutes);
    if (!Number.isNaN(h.timestamp)) {
      hasTime = true;
      pos = end;
    }
  } else {
    const scan = scanBsdTime(text, pos, ctx.tzOffsetMinutes, ctx.receivedAt);
    if (scan !== null) {
      hasTime = true;
      h.timestamp = scan.ms;
      pos = scan.end;
    }
  }
  if (!hasTime && priority === NO_PRIORITY) {
    return new Malformed(`${label}: expected PRI or TIMESTAMP "Mmm dd hh:mm:ss" at the start (RFC 3164 §4.1)`);
  }
  if (pos > limit) return new Malformed(`${label}: payload marker inside the syslog header at column ${limit + 1}`);
  if (hasTime) {
    if (pos < text.length && text.charCodeAt(pos) !== 32) {
      return new Malformed(`${label}: expected SP after TIMESTAMP at column ${pos + 1} (RFC 3164 §4.1.2)`);
    }
    pos = skipSpaces(text, pos, limit);
  }
  if (payloadAt >= 0) {
    // Tokens before a known payload: [HOSTNAME] [TAG].
    let end = tokenEnd(text, pos, limit);
    if (end > pos) {
      if (hasTime && !isTagToken(text, pos, end)) {
        h.hostname = text.slice(pos, end);
        pos = skipSpaces(text, end, limit);
        end = tokenEnd(text, pos, limit);
      }
      if (end > pos) readTag(text, pos, end, h);
    }
    h.msgStart = payloadAt;
    return h;
  }
  if (pos >= text.length) {
    if (!hasTime) return new Malformed(`${label}: nothing after PRI`);
    h.msgStart = pos;
    return h;
  }
  let end = tokenEnd(text, pos, limit);
  if (hasTime && !isTagToken(text, pos, end)) {
    h.hostname = text.slice(pos, end);
    pos = skipSpaces(text, end, limit);
    end = tokenEnd(text, pos, limit);
  }
  if (end - pos === 1 && text.charCodeAt(pos) === 58) {
    // `HOSTNAME : MSG` (Cisco IOS/ASA): an empty TAG.
    pos = skipSpaces(text, end, limit);
  } else if (isTagToken(text, pos, end)) {
    readTag(text, pos, end, h);
    pos = skipSpaces(text, end, limit);
  }
  h.msgStart = pos;
  return h;
}

/**
 * Finds `marker` (`CEF:`, `LEEF:`) at the start of `text` or after a syslog header (RFC 5424 or
 * BSD), and reads that header. `payloadAt` is where the marker starts.
 */
export function scanSyslogPrefix(
  text: string,
  marker: string,
  label: string,
  ctx: NormaliseContext,
): { header: SyslogHeader | undefined; payloadAt: number } | Malformed {
  if (text.startsWith(marker)) return { header: undefined, payloadAt: 0 };
  const at = text.indexOf(marker);
  if (at === -1) return new Malformed(`${label}: no "${marker}" in the line`);
  const close = text.indexOf('>');
  const header =
    text.charCodeAt(0) === 60 && close > 0 && close < 5 && text.charCodeAt(close + 1) === 49 && text.charCodeAt(close + 2) === 32
      ? scanSyslog5424Header(text, label, ctx.tzOffsetMinutes)
      : scanBsdHeader(text, label, ctx, at);
  if (header instanceof Malformed) return header;
  if (header.msgStart > at) return new Malformed(`${label}: "${marker}" found inside the syslog header, not after it`);
  return { header, payloadAt: at };
}

/** ECS `log.syslog` object for a header (ECS "Log Fields": `log.syslog.*`). */
function syslogLogObject(h: SyslogHeader): EcsObject {
  const log: EcsObject = {};
  if (h.priority !== NO_PRIORITY) {
    const facility = h.priority >> 3;
    const severity = h.priority & 7;
    log.priority = h.priority;
    log.facility = { code: facility, name: FACILITY_NAMES[facility] ?? null };
    log.severity = { code: severity, name: SEVERITY_NAMES[severity] ?? null };
  }
  if (h.version > 0) log.version = String(h.version);
  if (h.hostname !== undefined) log.hostname = h.hostname;
  if (h.appname !== undefined) log.appname = h.appname;
  if (h.procid !== undefined) log.procid = h.procid;
  if (h.msgid !== undefined) log.msgid = h.msgid;
  if (h.structuredData !== undefined) log.structured_data = h.structuredData;
  return log;
}

/**
 * Writes a syslog header into `event`: `log.syslog.*` and `host.hostname`; with `asSource` (the
 * event is the syslog message itself, not a CEF/LEEF payload carried in it) also `process.name`,
 * `process.pid` (when PROCID is numeric) and `event.severity` = the syslog severity code.
 */
export function applySyslogHeader(event: EcsEvent, h: SyslogHeader, asSource: boolean): void {
  event.log = { syslog: syslogLogObject(h) };
  if (h.hostname !== undefined) event.host = { hostname: h.hostname };
  if (!asSource) return;
  if (h.priority !== NO_PRIORITY) event.event.severity = h.priority & 7;
  if (h.appname !== undefined) {
    const process: EcsObject = { name: h.appname };
    const pid = h.procid === undefined ? -1 : parseCount(h.procid);
    if (pid >= 0) process.pid = pid;
    event.process = process;
  }
}

/** MSG from `start` to the end of `text`, without a trailing CR/LF; undefined when empty. */
export function messageFrom(text: string, start: number): string | undefined {
  let end = text.length;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return end > start ? text.slice(start, end) : undefined;
}
