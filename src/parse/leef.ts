/**
 * @module parse/leef
 * The `leef` normaliser: IBM QRadar Log Event Extended Format (LEEF 2.0 guide, "LEEF event
 * components"): `LEEF:1.0|Vendor|Product|Version|EventID|` then tab-separated `key=value`
 * attributes, or `LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|` whose delimiter is
 * one character or its hex code (`x5E`, `0x09`), alone or after a syslog header (RFC 3164 or
 * 5424). The header goes to `leef.*`, every attribute to `leef.attributes`, and the predefined
 * attributes to their ECS fields.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import { setField } from '../core/event.js';
import { scanBsdTime } from './bsd-time.js';
import { parseWithJavaPattern } from './java-date-pattern.js';
import { isIpAddress } from './ip.js';
import { parseCount, parsePort, transportName } from './network-values.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { applySyslogHeader, scanSyslogPrefix } from './syslog-header.js';
import { epochToMs, isoFromMs, parseIso8601 } from './timestamp.js';

const LABEL = 'leef';

/** Index of the next `|` at or after `at` that is not escaped with a backslash, or -1. */
function nextPipe(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 124) return i;
  }
  return -1;
}

/** A header field with the guide's `\|` (and `\\`) escapes undone. */
function headerField(text: string, start: number, end: number): string {
  const field = text.slice(start, end);
  return field.indexOf('\\') === -1 ? field : field.replace(/\\([|\\])/g, '$1');
}

/**
 * The LEEF 2.0 DelimiterCharacter: empty → tab (the 1.0 delimiter); one character; or `x`/`0x`
 * then 1–4 hex digits. -1 when neither.
 */
function delimiterCode(field: string): number {
  if (field.length === 0) return 9;
  if (field.length === 1) return field.charCodeAt(0);
  let start = -1;
  if ((field.charCodeAt(0) | 0x20) === 120) start = 1;
  else if (field.charCodeAt(0) === 48 && (field.charCodeAt(1) | 0x20) === 120) start = 2;
  if (start < 0 || field.length - start < 1 || field.length - start > 4) return -1;
  let code = 0;
  for (let i = start; i < field.length; i++) {
    const c = field.charCodeAt(i);
    const lower = c | 0x20;
    const digit = c >= 48 && c <= 57 ? c - 48 : lower >= 97 && lower <= 102 ? lower - 87 : -1;
    if (digit < 0) return -1;
    code = code * 16 + digit;
  }
  return code;
}

/**
 * The `devTime` attribute: with `devTimeFormat`, read by that Java pattern; without, epoch
 * milliseconds, `MMM dd yyyy HH:mm:ss` (the guide's example) or ISO 8601. NaN when unreadable.
 */
function devTimeMs(value: string, format: EcsObject[string], ctx: NormaliseContext): number {
  if (typeof format === 'string' && format.length > 0) return parseWithJavaPattern(value, format, ctx.tzOffsetMinutes);
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (value.length >= 10 && value.charCodeAt(4) === 45) return parseIso8601(value, ctx.tzOffsetMinutes);
    const epoch = Number(value);
    return Number.isInteger(epoch) ? epochToMs(epoch) : NaN;
  }
  const scan = scanBsdTime(value, 0, ctx.tzOffsetMinutes, ctx.receivedAt);
  return scan !== null && scan.end === value.length ? scan.ms : NaN;
}

function setIp(event: EcsEvent, path: string, value: string): void {
  if (isIpAddress(value)) setField(event, path, value);
}

function setNumber(event: EcsEvent, path: string, value: number): void {
  if (value >= 0) setField(event, path, value);
}

/** Writes one predefined attribute's ECS field (LEEF 2.0 guide, "Predefined event attributes"). */
function mapAttribute(event: EcsEvent, key: string, value: string): void {
  if (value.length === 0) return;
  switch (key) {
    case 'src': setField(event, isIpAddress(value) ? 'source.ip' : 'source.address', value); break;
    case 'dst': setField(event, isIpAddress(value) ? 'destination.ip' : 'destination.address', value); break;
    case 'srcPort': setNumber(event, 'source.port', parsePort(value)); break;
    case 'dstPort': setNumber(event, 'destination.port', parsePort(value)); break;
    case 'srcPostNAT': setIp(event, 'source.nat.ip', value); break;
    case 'srcPostNATPort': setNumber(event, 'source.nat.port', parsePort(value)); break;
    case 'dstPostNAT': setIp(event, 'destination.nat.ip', value); break;
    case 'dstPostNATPort': setNumber(event, 'destination.nat.port', parsePort(value)); break;
    case 'srcMAC': setField(event, 'source.mac', value); break;
    case 'dstMAC': setField(event, 'destination.mac', value); break;
    case 'srcBytes': setNumber(event, 'source.bytes', parseCount(value)); break;
    case 'dstBytes': setNumber(event, 'destination.bytes', parseCount(value)); break;
    case 'srcPackets': setNumber(event, 'source.packets', parseCount(value)); break;
    case 'dstPackets': setNumber(event, 'destination.packets', parseCount(value)); break;
    case 'usrName': setField(event, 'user.name', value); break;
    case 'accountName': if (getUserName(event) === undefined) setField(event, 'user.name', value); break;
    case 'domain': setField(event, 'user.domain', value); break;
    case 'role': setField(event, 'user.roles', [value]); break;
    case 'proto': setField(event, 'network.transport', transportName(value)); break;
    case 'url': setField(event, 'url.original', value); break;
    case 'policy': setField(event, 'rule.name', value); break;
    // cat refines EventID (guide: "extends the EventID field"): the closest ECS is the action.
    case 'cat': event.event.action = value; break;
    case 'msg': event.message = value; break;
    case 'isLoginEvent':
      if (value === 'true') {
        event.event.category = ['authentication'];
        event.event.type = ['start'];
      }
      break;
    case 'isLogoutEvent':
      if (value === 'true') {
        event.event.category = ['authentication'];
        event.event.type = ['end'];
      }
      break;
    default:
  }
}

function getUserName(event: EcsEvent): unknown {
  const user = event.user;
  return typeof user === 'object' && user !== null && !Array.isArray(user) ? user.name : undefined;
}

function normalise(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const text = record.text;
  if (text.length === 0) return new Malformed(`${LABEL}: empty line`);
  const prefix = scanSyslogPrefix(text, 'LEEF:', LABEL, ctx);
  if (prefix instanceof Malformed) return prefix;
  const versionStart = prefix.payloadAt + 5;
  const versionEnd = nextPipe(text, versionStart);
  const version = text.slice(versionStart, versionEnd === -1 ? Math.min(text.length, versionStart + 8) : versionEnd);
  const v2 = version === '2.0' || version === '2';
  if (!v2 && version !== '1.0' && version !== '1') {
    return new Malformed(`${LABEL}: unsupported version ${JSON.stringify(version)} (LEEF 1.0 and 2.0 are defined)`);
  }
  // 1.0: Version|Vendor|Product|Version|EventID| ; 2.0 adds DelimiterCharacter|.
  const expected = v2 ? 6 : 5;
  const ends: number[] = [versionEnd];
  while (ends.length < expected) {
    const previous = ends[ends.length - 1] ?? -1;
    if (previous === -1) break;
    ends.push(nextPipe(text, previous + 1));
  }
  const found = ends.indexOf(-1) === -1 ? ends.length : ends.indexOf(-1);
  if (found < expected) {
    return new Malformed(`${LABEL}: expected ${expected} pipe-terminated header fields for LEEF ${v2 ? '2.0' : '1.0'}, found ${found}`);
  }
  const [, vendorEnd = 0, productEnd = 0, deviceVersionEnd = 0, eventIdEnd = 0, delimiterEnd = 0] = ends;
  const vendor = headerField(text, versionEnd + 1, vendorEnd);
  const product = headerField(text, vendorEnd + 1, productEnd);
  const deviceVersion = headerField(text, productEnd + 1, deviceVersionEnd);
  const eventId = headerField(text, deviceVersionEnd + 1, eventIdEnd);
  let delimiter = 9;
  let attributesStart = eventIdEnd + 1;
  if (v2) {
    const field = text.slice(eventIdEnd + 1, delimiterEnd);
    delimiter = delimiterCode(field);
    if (delimiter < 0) {
      return new Malformed(`${LABEL}: DelimiterCharacter ${JSON.stringify(field.slice(0, 12))} is neither one character nor x/0x and 1–4 hex digits`);
    }
    attributesStart = delimiterEnd + 1;
  }
  const attributes: EcsObject = {};
  let end = text.length;
  while (end > attributesStart && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  const separator = String.fromCharCode(delimiter);
  let pos = attributesStart;
  while (pos < end) {
    let stop = text.indexOf(separator, pos);
    if (stop === -1 || stop > end) stop = end;
    const eq = text.indexOf('=', pos);
    if (eq > pos && eq < stop) {
      const key = text.slice(pos, eq);
      if (key !== '__proto__') attributes[key] = text.slice(eq + 1, stop);
    }
    pos = stop + 1;
  }
  const header = prefix.header;
  let at = header === undefined || Number.isNaN(header.timestamp) ? ctx.receivedAt : header.timestamp;
  const devTime = attributes.devTime;
  if (typeof devTime === 'string') {
    const ms = devTimeMs(devTime, attributes.devTimeFormat, ctx);
    if (isoFromMs(ms) !== undefined) at = ms;
  }
  const event: EcsEvent = {
    '@timestamp': isoFromMs(at) ?? new Date(ctx.receivedAt).toISOString(),
    event: { kind: 'event', module: 'leef', dataset: 'leef', code: eventId },
    leef: {
      version: v2 ? '2.0' : '1.0',
      device: { vendor, product, version: deviceVersion },
      event_id: eventId,
      attributes,
    },
  };
  if (v2) (event.leef as EcsObject).delimiter = String.fromCharCode(delimiter);
  if (header !== undefined) applySyslogHeader(event, header, false);
  // sev is 1–10 (guide: "an integer value between 1 and 10").
  const sev = attributes.sev;
  if (typeof sev === 'string') {
    const n = Number(sev);
    if (Number.isInteger(n) && n >= 0 && n <= 10 && sev.length > 0) event.event.severity = n;
  }
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string') mapAttribute(event, key, value);
  }
  return event;
}

export const leefNormaliser: Normaliser = { format: 'leef', normalise };
