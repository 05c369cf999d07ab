/**
 * @module parse/cef
 * The `cef` normaliser: ArcSight Common Event Format ("Implementing ArcSight CEF" rev 25):
 * `CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|
 * Extension`, alone or after a syslog header (RFC 5424 or BSD), whose host is kept in
 * `log.syslog.hostname` / `host.hostname`. The header goes to `cef.*` (the device to
 * `cef.device.*`: `observer.*` belongs to ingest), every extension pair to `cef.extensions`, and
 * the dictionary keys analysts query to their ECS fields.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import { scanBsdTime, zoneOffset } from './bsd-time.js';
import { scanCefExtension } from './cef-extension.js';
import { childObject } from './ecs-object.js';
import { isIpAddress } from './ip.js';
import { parseCount, parsePort, transportName } from './network-values.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { applySyslogHeader, scanSyslogPrefix } from './syslog-header.js';
import { epochToMs, isoFromMs } from './timestamp.js';

const LABEL = 'cef';
const HEADER_FIELDS = 7;
/** 9999-12-31T23:59:59.999Z: the last instant `toISOString()` writes with a four-digit year. */
const LAST_ISO_MS = 253402300799999;

/**
 * Reads the header field starting at `start` up to the next unescaped `|` (rev 25: `\|` and `\\`
 * are the header's escapes; any other backslash is kept). Returns the end index (at the `|`, or the
 * text's end) and the value through `slot`.
 */
function readHeaderField(text: string, start: number, slot: { value: string }): number {
  const pipe = text.indexOf('|', start);
  const backslash = text.indexOf('\\', start);
  if (backslash === -1 || (pipe !== -1 && backslash > pipe)) {
    // No escape in this field: the common case, one slice.
    const end = pipe === -1 ? text.length : pipe;
    slot.value = text.slice(start, end);
    return end;
  }
  let out = '';
  let segment = start;
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 124 /* | */) {
      slot.value = out + text.slice(segment, i);
      return i;
    }
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 124 || next === 92) {
        out += text.slice(segment, i);
        segment = i + 1;
      }
      i++;
    }
  }
  slot.value = out + text.slice(segment, n);
  return n;
}

/** The header Version: 1–3 digits (rev 25 defines 0; CEF:1 is the same format). */
function isVersion(text: string): boolean {
  if (text.length === 0 || text.length > 3) return false;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

/**
 * `event.severity` for the header Severity: 0–10, or the rev 25 words, each taken at the top of
 * its range (Low 0–3, Medium 4–6, High 7–8, Very-High 9–10) so that a word never understates.
 * Unknown, and anything else, gives NaN (the raw text stays in `cef.severity`).
 */
function severityNumber(text: string): number {
  if (text.length === 1 || text.length === 2) {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 0 && n <= 10) return n;
  }
  switch (text.toLowerCase()) {
    case 'low': return 3;
    case 'medium': return 6;
    case 'high': return 8;
    case 'very-high': return 10;
    default: return NaN;
  }
}

/**
 * A CEF time value (rt, start, end): epoch milliseconds, or `MMM dd[ yyyy] HH:mm:ss[.SSS][ zone]`
 * (rev 25 "Date formats"). A zone-less time is the sensor's. NaN when neither.
 */
function cefTime(value: string, ctx: NormaliseContext): number {
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const epoch = Number(value);
    return Number.isInteger(epoch) ? epochToMs(epoch) : NaN;
  }
  const scan = scanBsdTime(value, 0, ctx.tzOffsetMinutes, ctx.receivedAt);
  if (scan === null) return NaN;
  if (scan.end === value.length) return scan.ms;
  if (value.charCodeAt(scan.end) !== 32) return NaN;
  const offset = zoneOffset(value.slice(scan.end + 1));
  if (Number.isNaN(offset)) return scan.ms;
  return scan.ms + (ctx.tzOffsetMinutes - offset) * 60_000;
}

/** ECS `labels` key for a csNLabel: lower case, runs of other characters as `_` (no dots). */
function labelKey(label: string, fallback: string): string {
  let out = '';
  let pendingUnderscore = false;
  for (let i = 0; i < label.length && out.length < 64; i++) {
    const c = label.charCodeAt(i) | 0;
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if ((lower >= 97 && lower <= 122) || (c >= 48 && c <= 57)) {
      if (pendingUnderscore && out.length > 0) out += '_';
      pendingUnderscore = false;
      out += String.fromCharCode(lower);
    } else {
      pendingUnderscore = true;
    }
  }
  return out.length > 0 ? out : fallback;
}

function setIp(event: EcsEvent, side: 'source' | 'destination', value: string): void {
  childObject(event, side)[isIpAddress(value) ? 'ip' : 'address'] = value;
}

function setNumber(parent: EcsObject, key: string, value: number): void {
  if (value >= 0) parent[key] = value;
}

function outcomeOf(value: string): 'success' | 'failure' | 'unknown' {
  const lower = value.toLowerCase();
  if (lower.includes('succ') || lower === 'allow' || lower === 'allowed') return 'success';
  if (lower.includes('fail') || lower === 'deny' || lower === 'denied' || lower === 'blocked') return 'failure';
  return 'unknown';
}

/**
 * Extension key → the rev 25 short name it stands for: the short names themselves and the full
 * dictionary names some devices send instead. Looking a key up here first also hands the switch in
 * `mapExtension` an interned literal, so its cases compare by identity rather than by content.
 */
const CANONICAL_KEYS: ReadonlyMap<string, string> = new Map([
  ['src', 'src'],
  ['sourceAddress', 'src'],
  ['dst', 'dst'],
  ['destinationAddress', 'dst'],
  ['spt', 'spt'],
  ['sourcePort', 'spt'],
  ['dpt', 'dpt'],
  ['destinationPort', 'dpt'],
  ['shost', 'shost'],
  ['sourceHostName', 'shost'],
  ['dhost', 'dhost'],
  ['destinationHostName', 'dhost'],
  ['smac', 'smac'],
  ['sourceMacAddress', 'smac'],
  ['dmac', 'dmac'],
  ['destinationMacAddress', 'dmac'],
  ['suser', 'suser'],
  ['sourceUserName', 'suser'],
  ['suid', 'suid'],
  ['sourceUserId', 'suid'],
  ['sntdom', 'sntdom'],
  ['sourceNtDomain', 'sntdom'],
  ['duser', 'duser'],
  ['destinationUserName', 'duser'],
  ['duid', 'duid'],
  ['destinationUserId', 'duid'],
  ['dntdom', 'dntdom'],
  ['destinationNtDomain', 'dntdom'],
  ['sourceTranslatedAddress', 'sourceTranslatedAddress'],
  ['sourceTranslatedPort', 'sourceTranslatedPort'],
  ['destinationTranslatedAddress', 'destinationTranslatedAddress'],
  ['destinationTranslatedPort', 'destinationTranslatedPort'],
  ['in', 'in'],
  ['bytesIn', 'in'],
  ['out', 'out'],
  ['bytesOut', 'out'],
  ['act', 'act'],
  ['deviceAction', 'act'],
  ['app', 'app'],
  ['applicationProtocol', 'app'],
  ['proto', 'proto'],
  ['transportProtocol', 'proto'],
  ['deviceDirection', 'deviceDirection'],
  ['request', 'request'],
  ['requestUrl', 'request'],
  ['requestMethod', 'requestMethod'],
  ['requestClientApplication', 'requestClientApplication'],
  ['requestContext', 'requestContext'],
  ['msg', 'msg'],
  ['message', 'msg'],
  ['outcome', 'outcome'],
  ['eventOutcome', 'outcome'],
  ['reason', 'reason'],
  ['externalId', 'externalId'],
  ['fname', 'fname'],
  ['fileName', 'fname'],
  ['filePath', 'filePath'],
  ['fsize', 'fsize'],
  ['fileSize', 'fsize'],
  ['dproc', 'dproc'],
  ['destinationProcessName', 'dproc'],
  ['dpid', 'dpid'],
  ['destinationProcessId', 'dpid'],
  ['rt', 'rt'],
  ['receiptTime', 'rt'],
  ['start', 'start'],
  ['startTime', 'start'],
  ['end', 'end'],
  ['endTime', 'end'],
]);

/**
 * Writes one extension pair's ECS field. Returns a time (epoch ms) for `rt`, else NaN: the caller formats
 * `@timestamp` once.
 */
function mapExtension(event: EcsEvent, key: string, value: string, extensions: EcsObject, ctx: NormaliseContext): number {
  if (value.length === 0) return NaN;
  const name = CANONICAL_KEYS.get(key);
  switch (name) {
    case 'src': setIp(event, 'source', value); break;
    case 'dst': setIp(event, 'destination', value); break;
    case 'spt': setNumber(childObject(event, 'source'), 'port', parsePort(value)); break;
    case 'dpt': setNumber(childObject(event, 'destination'), 'port', parsePort(value)); break;
    case 'shost': childObject(event, 'source').domain = value; break;
    case 'dhost': childObject(event, 'destination').domain = value; break;
    case 'smac': childObject(event, 'source').mac = value; break;
    case 'dmac': childObject(event, 'destination').mac = value; break;
    case 'suser': childObject(childObject(event, 'source'), 'user').name = value; break;
    case 'suid': childObject(childObject(event, 'source'), 'user').id = value; break;
    case 'sntdom': childObject(childObject(event, 'source'), 'user').domain = value; break;
    case 'duser':
      // The account acted on (logged in to, changed): ECS `user.name` for authentication rules.
      childObject(childObject(event, 'destination'), 'user').name = value;
      childObject(event, 'user').name = value;
      break;
    case 'duid': childObject(childObject(event, 'destination'), 'user').id = value; break;
    case 'dntdom': childObject(childObject(event, 'destination'), 'user').domain = value; break;
    case 'sourceTranslatedAddress': if (isIpAddress(value)) childObject(childObject(event, 'source'), 'nat').ip = value; break;
    case 'sourceTranslatedPort': setNumber(childObject(childObject(event, 'source'), 'nat'), 'port', parsePort(value)); break;
    case 'destinationTranslatedAddress': if (isIpAddress(value)) childObject(childObject(event, 'destination'), 'nat').ip = value; break;
    case 'destinationTranslatedPort': setNumber(childObject(childObject(event, 'destination'), 'nat'), 'port', parsePort(value)); break;
    // rev 25: bytesIn flows from source to destination, bytesOut back.
    case 'in': setNumber(childObject(event, 'source'), 'bytes', parseCount(value)); break;
    case 'out': setNumber(childObject(event, 'destination'), 'bytes', parseCount(value)); break;
    case 'act': event.event.action = value; break;
    case 'app': childObject(event, 'network').protocol = value.toLowerCase(); break;
    case 'proto': childObject(event, 'network').transport = transportName(value); break;
    case 'deviceDirection':
      if (value === '0') childObject(event, 'network').direction = 'inbound';
      else if (value === '1') childObject(event, 'network').direction = 'outbound';
      break;
    case 'request': childObject(event, 'url').original = value; break;
    case 'requestMethod': childObject(childObject(event, 'http'), 'request').method = value.toUpperCase(); break;
    case 'requestClientApplication': childObject(event, 'user_agent').original = value; break;
    case 'requestContext': childObject(childObject(event, 'http'), 'request').referrer = value; break;
    case 'msg': event.message = value; break;
    case 'outcome': event.event.outcome = outcomeOf(value); break;
    case 'reason': event.event.reason = value; break;
    case 'externalId': event.event.id = value; break;
    case 'fname': childObject(event, 'file').name = value; break;
    case 'filePath': childObject(event, 'file').path = value; break;
    case 'fsize': setNumber(childObject(event, 'file'), 'size', parseCount(value)); break;
    case 'dproc': childObject(event, 'process').name = value; break;
    case 'dpid': setNumber(childObject(event, 'process'), 'pid', parseCount(value)); break;
    case 'rt': return cefTime(value, ctx);
    case 'start': case 'end': {
      const iso = isoFromMs(cefTime(value, ctx));
      if (iso !== undefined) event.event[name] = iso;
      break;
    }
    default: {
      // cs1–cs6 / cn1–cn3 with their csNLabel / cnNLabel → ECS `labels`.
      if (key.length === 3 && key.charCodeAt(0) === 99 /* c */) {
        const kind = key.charCodeAt(1);
        const n = key.charCodeAt(2) - 48;
        if ((kind === 115 /* s */ && n >= 1 && n <= 6) || (kind === 110 /* n */ && n >= 1 && n <= 3)) {
          const label = extensions[`${key}Label`];
          const labels = event.labels ?? (event.labels = {});
          labels[labelKey(typeof label === 'string' ? label : '', key)] = value;
        }
      }
    }
  }
  return NaN;
}

function normalise(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const text = record.text;
  if (text.length === 0) return new Malformed(`${LABEL}: empty line`);
  const prefix = scanSyslogPrefix(text, 'CEF:', LABEL, ctx);
  if (prefix instanceof Malformed) return prefix;
  const fields: string[] = [];
  const slot = { value: '' };
  let pos = prefix.payloadAt + 4;
  let end = pos;
  while (fields.length < HEADER_FIELDS) {
    end = readHeaderField(text, pos, slot);
    fields.push(slot.value);
    if (end >= text.length) break;
    pos = end + 1;
  }
  if (fields.length < HEADER_FIELDS) {
    return new Malformed(`${LABEL}: expected 7 pipe-separated header fields, found ${fields.length}`);
  }
  const [version = '', vendor = '', product = '', deviceVersion = '', classId = '', name = '', severity = ''] = fields;
  if (!isVersion(version)) {
    return new Malformed(`${LABEL}: Version ${JSON.stringify(version.slice(0, 20))} is not a number (CEF:0 or CEF:1)`);
  }
  const extensions: EcsObject = {};
  const keys: string[] = [];
  if (end < text.length) {
    const failure = scanCefExtension(text, end + 1, extensions, keys);
    if (failure !== undefined) return failure;
  }
  const header = prefix.header;
  const event: EcsEvent = {
    '@timestamp': '',
    event: { kind: 'event', module: 'cef', dataset: 'cef', code: classId },
    cef: {
      version,
      device: { vendor, product, version: deviceVersion, event_class_id: classId },
      name,
      severity,
      extensions,
    },
  };
  if (header !== undefined) applySyslogHeader(event, header, false);
  const severityValue = severityNumber(severity);
  if (!Number.isNaN(severityValue)) event.event.severity = severityValue;
  let at = header === undefined || Number.isNaN(header.timestamp) ? ctx.receivedAt : header.timestamp;
  for (const key of keys) {
    const value = extensions[key];
    if (typeof value !== 'string') continue;
    const receipt = mapExtension(event, key, value, extensions, ctx);
    // rt, the time the device received the event, is the event's time (rev 25 "rt").
    if (receipt >= 0 && receipt <= LAST_ISO_MS) at = receipt;
  }
  event['@timestamp'] = isoFromMs(at) ?? new Date(ctx.receivedAt).toISOString();
  if (event.message === undefined && name.length > 0) event.message = name;
  return event;
}

export const cefNormaliser: Normaliser = { format: 'cef', normalise };
