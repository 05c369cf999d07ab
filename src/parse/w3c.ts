/**
 * @module parse/w3c
 * W3C Extended Log File Format (W3C Working Draft WD-logfile-960323) as IIS writes it.
 * Directives (`#Version`, `#Fields`, `#Software`, `#Date`, `#Start-Date`, `#End-Date`, `#Remark`)
 * carry no event and return `SKIP`; `#Fields:` sets the field list for the rest of the stream
 * (`ctx.stream.w3cFields`). Before any `#Fields:` the IIS default field list is assumed.
 * Entries are whitespace-separated; `-` marks an absent value (WD-logfile "Format"); a value may be
 * a quoted string with `""` for a quote. IIS writes no quotes and replaces spaces in
 * `cs(User-Agent)` with `+`. Times are UTC: WD-logfile "all times are specified in GMT", and IIS
 * always logs W3C times in UTC, so `ctx.tzOffsetMinutes` does not apply here.
 * ECS names follow the Elastic IIS module: server side in `destination.*`, IIS-only fields in
 * `iis.access.*`; fields with no ECS home are kept verbatim under `w3c.<field>`.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import type { NormaliseContext, Normaliser, NormaliseResult, StreamState } from './normaliser.js';
import { Malformed, SKIP } from './normaliser.js';
import { httpOutcome } from './access-log.js';
import { isIpAddress } from './ip.js';
import { setOwn } from './json-record.js';
import { urlFromParts, urlFromTarget } from './url.js';
import { isoFromMs, monthFromAbbrev, readDigits, utcMs } from './timestamp.js';

/** IIS's default W3C field selection, used until a `#Fields:` directive is seen. */
export const IIS_DEFAULT_FIELDS: readonly string[] = [
  'date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip',
  'cs(User-Agent)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken',
];

/** The stream state this normaliser keeps: the field list, and the date of the last `#Date:`. */
type W3cStream = StreamState & { w3cDate?: { year: number; month: number; day: number } };

// Field identifiers, compiled once per `#Fields:` list so that a line dispatches on small integers.
const enum F {
  Other, Date, Time, ClientIp, ServerIp, ServerPort, Method, UriStem, UriQuery, Uri, Username,
  UserAgent, Referer, Cookie, Host, Version, Status, SubStatus, Win32Status, BytesSent, BytesReceived,
  TimeTaken, SiteName, ComputerName, ForwardedFor,
}

function fieldId(name: string): F {
  switch (name.toLowerCase()) {
    case 'date': return F.Date;
    case 'time': return F.Time;
    case 'c-ip': return F.ClientIp;
    case 's-ip': return F.ServerIp;
    case 's-port': return F.ServerPort;
    case 'cs-method': return F.Method;
    case 'cs-uri-stem': return F.UriStem;
    case 'cs-uri-query': return F.UriQuery;
    case 'cs-uri': return F.Uri;
    case 'cs-username': return F.Username;
    case 'cs(user-agent)': return F.UserAgent;
    case 'cs(referer)': return F.Referer;
    case 'cs(cookie)': return F.Cookie;
    case 'cs-host': case 'cs(host)': return F.Host;
    case 'cs-version': return F.Version;
    case 'sc-status': return F.Status;
    case 'sc-substatus': return F.SubStatus;
    case 'sc-win32-status': return F.Win32Status;
    case 'sc-bytes': return F.BytesSent;
    case 'cs-bytes': return F.BytesReceived;
    case 'time-taken': return F.TimeTaken;
    case 's-sitename': return F.SiteName;
    case 's-computername': return F.ComputerName;
    case 'x-forwarded-for': case 'cs(x-forwarded-for)': return F.ForwardedFor;
    default: return F.Other;
  }
}

const compiled = new WeakMap<readonly string[], F[]>();

function fieldIds(fields: readonly string[]): F[] {
  let ids = compiled.get(fields);
  if (ids === undefined) {
    ids = fields.map(fieldId);
    compiled.set(fields, ids);
  }
  return ids;
}

/** Splits an entry into values: whitespace-separated, `"…"` strings with `""` for a quote. */
function splitEntry(text: string): string[] | Malformed {
  const values: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 34 /* " */) {
      let value = '';
      let run = i + 1;
      let j = run;
      for (;;) {
        j = text.indexOf('"', j);
        if (j === -1) return new Malformed(`w3c: unterminated quoted value at column ${i + 1}`);
        if (text.charCodeAt(j + 1) === 34) {
          value += text.slice(run, j + 1);
          j += 2;
          run = j;
          continue;
        }
        break;
      }
      values.push(value + text.slice(run, j));
      i = j + 1;
      continue;
    }
    const start = i;
    while (i < n && (c = text.charCodeAt(i)) !== 32 && c !== 9) i++;
    values.push(text.slice(start, i));
  }
  return values;
}

/** Parses a `#Fields:` directive body into the stream's field list. */
function readFieldsDirective(text: string, stream: StreamState): typeof SKIP | Malformed {
  const fields = text.slice(8).trim().split(/[ \t]+/);
  if (fields.length === 0 || fields[0] === '') return new Malformed('w3c: #Fields directive lists no fields');
  stream.w3cFields = fields;
  return SKIP;
}

/** `#Date: 2024-05-01 00:00:00` (WD-logfile) or `#Date: 01-May-2024 00:00:00` (as WD-logfile's example writes it). */
function readDateDirective(text: string, stream: W3cStream): typeof SKIP | Malformed {
  const body = text.slice(6).trim();
  let year = readDigits(body, 0, 4);
  let month = readDigits(body, 5, 2);
  let day = readDigits(body, 8, 2);
  if (year < 0 || month < 0 || day < 0 || body.charCodeAt(4) !== 45) {
    day = readDigits(body, 0, 2);
    month = monthFromAbbrev(body, 3);
    year = readDigits(body, 7, 4);
    if (day < 0 || month === 0 || year < 0 || body.charCodeAt(2) !== 45) {
      return new Malformed(`w3c: #Date directive has no date: "${body}"`);
    }
  }
  stream.w3cDate = { year, month, day };
  return SKIP;
}

/** A non-negative integer value, or NaN. */
function intValue(value: string): number {
  if (value.length === 0 || value.length > 15) return NaN;
  let v = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

function child(parent: EcsObject, key: string): EcsObject {
  let node = parent[key] as EcsObject | undefined;
  if (node === undefined) {
    node = {};
    parent[key] = node;
  }
  return node;
}

function normaliseW3c(record: { text: string }, ctx: NormaliseContext): NormaliseResult {
  // A log file's first line may carry the UTF-8 byte-order mark if the reader did not strip it.
  const text = record.text.charCodeAt(0) === 0xfeff ? record.text.slice(1) : record.text;
  if (text.charCodeAt(0) === 35 /* # */) {
    if (text.startsWith('#Fields:')) return readFieldsDirective(text, ctx.stream);
    if (text.startsWith('#Date:')) return readDateDirective(text, ctx.stream as W3cStream);
    return SKIP;
  }
  if (text.trim().length === 0) return new Malformed('w3c: empty line');
  const fields = ctx.stream.w3cFields ?? IIS_DEFAULT_FIELDS;
  const ids = fieldIds(fields);
  const values = splitEntry(text);
  if (values instanceof Malformed) return values;
  if (values.length !== fields.length) return new Malformed(`w3c: ${values.length} values for ${fields.length} fields`);

  const event: EcsEvent = {
    '@timestamp': '',
    event: { kind: 'event', category: ['web'], type: ['access'], dataset: 'iis.access', module: 'iis' },
  };
  const http: EcsObject = {};
  let date: string | undefined;
  let time: string | undefined;
  let stem: string | undefined;
  let query: string | undefined;
  let uri: string | undefined;
  let host: string | undefined;
  let iis: EcsObject | undefined;
  for (let k = 0; k < values.length; k++) {
    const value = values[k] as string;
    if (value === '-') continue;
    const id = ids[k] as F;
    const name = fields[k] as string;
    let num = NaN;
    if (id === F.ServerPort || id === F.Status || id === F.SubStatus || id === F.Win32Status || id === F.BytesSent || id === F.BytesReceived) {
      num = intValue(value);
      if (Number.isNaN(num)) return new Malformed(`w3c: ${name} "${value}" is not a number`);
    }
    switch (id) {
      case F.Date: date = value; break;
      case F.Time: time = value; break;
      case F.ClientIp:
        event.source = isIpAddress(value) ? { address: value, ip: value } : { address: value };
        break;
      case F.ServerIp:
        child(event, 'destination').address = value;
        if (isIpAddress(value)) child(event, 'destination').ip = value;
        break;
      case F.ServerPort: child(event, 'destination').port = num; break;
      case F.Method: child(http, 'request').method = value; break;
      case F.UriStem: stem = value; break;
      case F.UriQuery: query = value; break;
      case F.Uri: uri = value; break;
      case F.Username: event.user = { name: value }; break;
      case F.UserAgent: event.user_agent = { original: value.replaceAll('+', ' ') }; break;
      case F.Referer: child(http, 'request').referrer = value; break;
      case F.Cookie: (iis ??= {}).cookie = value; break;
      case F.Host: host = value; break;
      case F.Version: http.version = value.startsWith('HTTP/') ? value.slice(5) : value; break;
      case F.Status:
        child(http, 'response').status_code = num;
        event.event.outcome = httpOutcome(num);
        break;
      case F.SubStatus: (iis ??= {}).sub_status = num; break;
      case F.Win32Status: (iis ??= {}).win32_status = num; break;
      case F.BytesSent: child(http, 'response').bytes = num; break;
      case F.BytesReceived: child(http, 'request').bytes = num; break;
      case F.TimeTaken: {
        // IIS logs integer milliseconds; WD-logfile defines time-taken as seconds, a <fixed> number.
        const t = Number(value);
        if (!Number.isFinite(t) || t < 0) return new Malformed(`w3c: time-taken "${value}" is not a number`);
        event.event.duration = Math.round(value.indexOf('.') === -1 ? t * 1e6 : t * 1e9);
        break;
      }
      case F.SiteName: (iis ??= {}).site_name = value; break;
      case F.ComputerName: (iis ??= {}).server_name = value; break;
      case F.ForwardedFor: {
        const comma = value.indexOf(',');
        const first = (comma === -1 ? value : value.slice(0, comma)).trim();
        if (isIpAddress(first)) event.network = { forwarded_ip: first };
        break;
      }
      case F.Other: setOwn(child(event, 'w3c'), name, value); break;
    }
  }

  // @timestamp: `date` and `time` fields; a missing date comes from the last `#Date:` directive.
  const ms = entryTime(date, time, ctx);
  if (typeof ms === 'string') return new Malformed(ms);
  const iso = isoFromMs(ms);
  if (iso === undefined) return new Malformed(`w3c: invalid date "${date ?? ''} ${time ?? ''}"`);
  event['@timestamp'] = iso;

  if (stem !== undefined || query !== undefined) event.url = urlFromParts(stem, query);
  else if (uri !== undefined) event.url = urlFromTarget(uri, (http.request as EcsObject | undefined)?.method as string | undefined);
  if (host !== undefined) {
    const url = (event.url ??= {}) as EcsObject;
    const colon = host.lastIndexOf(':');
    url.domain = colon !== -1 && host.indexOf(']', colon) === -1 ? host.slice(0, colon) : host;
  }
  if (Object.keys(http).length > 0) event.http = http;
  if (iis !== undefined) event.iis = { access: iis };
  return event;
}

/** Epoch ms of an entry's `date` and `time`, or the reason they are not a time. */
function entryTime(date: string | undefined, time: string | undefined, ctx: NormaliseContext): number | string {
  if (time === undefined) {
    if (date === undefined) return ctx.receivedAt;
    time = '00:00:00';
  }
  let year: number;
  let month: number;
  let day: number;
  if (date !== undefined) {
    year = readDigits(date, 0, 4);
    month = readDigits(date, 5, 2);
    day = readDigits(date, 8, 2);
    if (date.length !== 10 || year < 0 || month < 0 || day < 0 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
      return `w3c: date "${date}" is not YYYY-MM-DD`;
    }
  } else {
    const d = (ctx.stream as W3cStream).w3cDate ?? utcDate(ctx.receivedAt);
    year = d.year;
    month = d.month;
    day = d.day;
  }
  const hour = readDigits(time, 0, 2);
  const minute = readDigits(time, 3, 2);
  const second = readDigits(time, 6, 2);
  let ms = 0;
  if (time.length > 8) {
    // Fractional seconds (some writers log `hh:mm:ss.fff`): kept to the millisecond.
    const frac = time.slice(9, 12);
    ms = time.charCodeAt(8) === 46 && frac.length > 0 ? readDigits(frac, 0, frac.length) * 10 ** (3 - frac.length) : -1;
  }
  if (time.length < 8 || hour < 0 || minute < 0 || second < 0 || ms < 0 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) {
    return `w3c: time "${time}" is not hh:mm:ss`;
  }
  const t = utcMs(year, month, day, hour, minute, second, ms, 0);
  return Number.isNaN(t) ? `w3c: invalid date "${date ?? ''} ${time}"` : t;
}

function utcDate(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export const w3cNormaliser: Normaliser = { format: 'w3c', normalise: normaliseW3c };
