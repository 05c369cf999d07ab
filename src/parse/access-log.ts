/**
 * @module parse/access-log
 * The one scanner for the NCSA access-log family that nginx and Apache share:
 *
 *   common          `%h %l %u %t "%r" %>s %b`                        (Apache mod_log_config "Common Log Format")
 *   combined        common + ` "%{Referer}i" "%{User-agent}i"`       (mod_log_config; nginx's predefined `combined`)
 *   combined + XFF  combined + ` "$http_x_forwarded_for"`            (the `main` format many distros ship for nginx)
 *   vhost_combined  `%v:%p ` + combined                              (Apache's Debian/Ubuntu `vhost_combined`)
 *
 * A single forward pass with `indexOf`/`charCodeAt`: no regular expression, no closure, and the
 * fields are sliced once. Quoted fields are unescaped only when the line holds a backslash at all:
 * nginx writes `"`, `\` and bytes outside 0x20–0x7E as `\xXX` (ngx_http_log_module, `escape=default`),
 * Apache writes `\"`, `\\`, `\n`-style and `\xhh` escapes (mod_log_config, "Security Considerations");
 * both escape the bytes of UTF-8 text one by one, so decoded bytes are re-read as UTF-8.
 * Text after the fields above (custom additions such as `$request_time`) is ignored.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import { Malformed } from './normaliser.js';
import { isIpAddress } from './ip.js';
import { urlFromTarget } from './url.js';
import { CLF_TIME_LENGTH, isoFromMs, parseClfTime } from './timestamp.js';

/** What differs between the servers that write this family of logs. */
export interface AccessLogFlavour {
  /** Format name, the prefix of every `Malformed` reason. */
  readonly format: string;
  readonly module: string;
  readonly dataset: string;
  /** Accept Apache's `vhost_combined` leading `%v:%p` field. */
  readonly vhost: boolean;
}

/** ECS `event.outcome` of an HTTP status: 4xx and 5xx failed, anything else succeeded. */
export function httpOutcome(status: number): 'success' | 'failure' {
  return status >= 400 ? 'failure' : 'success';
}

// The previous line's time text and its ISO form: consecutive lines mostly share their second, so
// this skips the date arithmetic and the `toISOString()` allocation for most of a batch.
let lastTimeText = '';
let lastTimeIso = '';

/**
 * UTF-8 bytes to text, as the WHATWG Encoding Standard's UTF-8 decoder does (not fatal: each
 * maximal ill-formed subsequence becomes one U+FFFD). By hand because `TextDecoder.decode` costs
 * microseconds per call, and escaped user agents are common.
 */
export function decodeUtf8(bytes: readonly number[]): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i++] as number;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      continue;
    }
    let need: number;
    let cp: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lower = 0xa0; // no overlong forms
      if (b === 0xed) upper = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
    } else {
      out += '\uFFFD';
      continue;
    }
    let ok = true;
    for (let k = 0; k < need; k++) {
      const c = i < n ? (bytes[i] as number) : -1;
      if (c < lower || c > upper) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
      lower = 0x80;
      upper = 0xbf;
      i++;
    }
    out += ok ? String.fromCodePoint(cp) : '\uFFFD';
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Decodes the log escapes of text[start, end): `\xHH` byte runs as UTF-8, `\"`, `\\`, `\n` … */
export function unescapeLogText(text: string, start: number, end: number): string {
  let out = '';
  let bytes: number[] | undefined;
  let run = start;
  let i = start;
  while (i < end) {
    if (text.charCodeAt(i) !== 92 /* \ */ || i + 1 >= end) {
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    let byte = -1;
    let width = 2;
    if (next === 120 /* x */ && i + 3 < end) {
      const hi = hexValue(text.charCodeAt(i + 2));
      const lo = hexValue(text.charCodeAt(i + 3));
      if (hi >= 0 && lo >= 0) {
        byte = (hi << 4) | lo;
        width = 4;
      }
    } else if (next === 34 || next === 92) byte = next;
    else if (next === 110) byte = 10;
    else if (next === 114) byte = 13;
    else if (next === 116) byte = 9;
    else if (next === 118) byte = 11;
    else if (next === 98) byte = 8;
    if (byte < 0) {
      i++;
      continue;
    }
    if (i > run) {
      if (bytes !== undefined && bytes.length > 0) {
        out += decodeUtf8(bytes);
        bytes.length = 0;
      }
      out += text.slice(run, i);
    }
    (bytes ??= []).push(byte);
    i += width;
    run = i;
  }
  if (bytes !== undefined && bytes.length > 0) out += decodeUtf8(bytes);
  if (run < end) out += text.slice(run, end);
  return out;
}

/**
 * Index of the `"` closing the quoted field that starts at `start` (just after its opening quote),
 * skipping `\"` (an odd run of backslashes before the quote), or -1.
 */
function closingQuote(text: string, start: number, escapes: boolean): number {
  let q = text.indexOf('"', start);
  if (!escapes) return q;
  while (q !== -1) {
    let slashes = 0;
    for (let j = q - 1; j >= start && text.charCodeAt(j) === 92; j--) slashes++;
    if ((slashes & 1) === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

/** The text of field [start, end), unescaped when the line has escapes in it. */
function fieldText(text: string, start: number, end: number, backslash: number): string {
  if (backslash === -1 || backslash >= end) return text.slice(start, end);
  const b = text.indexOf('\\', start);
  return b === -1 || b >= end ? text.slice(start, end) : unescapeLogText(text, start, end);
}

/** True when text[start, end) is exactly `-`, the CLF mark of an absent value. */
function isDash(text: string, start: number, end: number): boolean {
  return end - start === 1 && text.charCodeAt(start) === 45;
}

/** Index just past a run of ASCII digits starting at `pos`. */
function digitsEnd(text: string, pos: number): number {
  let i = pos;
  let c = text.charCodeAt(i);
  while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
  return i;
}

function intOf(text: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}

/** Sets ECS `http.request.method`, `http.version` and `url.*` from a request line `METHOD target HTTP/x.y`. */
function setRequest(event: EcsEvent, http: EcsObject, request: string): void {
  const sp1 = request.indexOf(' ');
  if (sp1 <= 0) return; // `-`, empty, or a single token such as a TLS handshake sent in clear: no HTTP
  const sp2 = request.lastIndexOf(' ');
  const method = request.slice(0, sp1);
  let target: string;
  if (sp2 > sp1 && request.startsWith('HTTP/', sp2 + 1)) {
    target = request.slice(sp1 + 1, sp2);
    http.version = request.slice(sp2 + 6);
  } else if (sp2 === sp1) {
    target = request.slice(sp1 + 1); // HTTP/0.9 "simple request": method and target only
  } else {
    return;
  }
  (http.request as EcsObject).method = method;
  if (target.length > 0) event.url = urlFromTarget(target, method);
}

/**
 * Parses one access-log line into an ECS web-access event, or says why not. The message of every
 * `Malformed` names the format and the place the line stopped making sense.
 */
export function parseAccessLog(text: string, flavour: AccessLogFlavour): EcsEvent | Malformed {
  const f = flavour.format;
  const n = text.length;
  const backslash = text.indexOf('\\');

  // %h %l %u (and %v:%p first in vhost_combined): space-separated, up to the ` [` of the time.
  const bracket = text.indexOf(' [');
  if (bracket === -1) return new Malformed(`${f}: expected a [timestamp] after the client address`);
  let start = 0;
  let sp = text.indexOf(' ');
  let vhost = -1;
  let spaces = 0;
  for (let i = sp; i !== -1 && i < bracket; i = text.indexOf(' ', i + 1)) spaces++;
  if (spaces === 3 && flavour.vhost) {
    vhost = sp;
    start = sp + 1;
    sp = text.indexOf(' ', start);
  } else if (spaces !== 2) {
    return new Malformed(`${f}: expected "client ident user" before the timestamp, found ${spaces + 1} fields`);
  }
  const addrEnd = sp;
  const identEnd = text.indexOf(' ', addrEnd + 1);
  if (addrEnd === start || identEnd === addrEnd + 1 || bracket === identEnd + 1) {
    return new Malformed(`${f}: empty field before the timestamp`);
  }

  // %t: `[10/Oct/2000:13:55:36 -0700]`, fixed width.
  const timeStart = bracket + 2;
  if (text.charCodeAt(timeStart + CLF_TIME_LENGTH) !== 93 /* ] */) {
    return new Malformed(`${f}: expected a [dd/Mon/yyyy:hh:mm:ss +hhmm] timestamp`);
  }
  let iso: string;
  if (lastTimeText.length !== 0 && text.startsWith(lastTimeText, timeStart)) {
    iso = lastTimeIso;
  } else {
    const ms = parseClfTime(text, timeStart);
    const parsed = isoFromMs(ms);
    if (parsed === undefined) {
      return new Malformed(`${f}: invalid timestamp "${text.slice(timeStart, timeStart + CLF_TIME_LENGTH)}"`);
    }
    iso = parsed;
    lastTimeText = text.slice(timeStart, timeStart + CLF_TIME_LENGTH);
    lastTimeIso = iso;
  }

  // "%r": the request line, quoted.
  let pos = timeStart + CLF_TIME_LENGTH + 1;
  if (text.charCodeAt(pos) !== 32 || text.charCodeAt(pos + 1) !== 34) {
    return new Malformed(`${f}: expected a quoted request line after the timestamp`);
  }
  const reqStart = pos + 2;
  const reqEnd = closingQuote(text, reqStart, backslash !== -1);
  if (reqEnd === -1) return new Malformed(`${f}: unterminated request line`);

  // %>s %b: status, then body bytes (`-` for none, mod_log_config `%b`).
  pos = reqEnd + 1;
  if (text.charCodeAt(pos) !== 32) return new Malformed(`${f}: expected a space after the request line`);
  const statusStart = pos + 1;
  const statusEnd = digitsEnd(text, statusStart);
  if (statusEnd - statusStart !== 3 || (statusEnd < n && text.charCodeAt(statusEnd) !== 32)) {
    const stop = text.indexOf(' ', statusStart);
    return new Malformed(`${f}: expected a 3-digit status after the request line, found "${text.slice(statusStart, stop === -1 ? n : stop)}"`);
  }
  if (statusEnd >= n) return new Malformed(`${f}: expected the response size after the status`);
  const status = intOf(text, statusStart, statusEnd);
  const bytesStart = statusEnd + 1;
  let bytesEnd = digitsEnd(text, bytesStart);
  let bytes = -1;
  if (bytesEnd > bytesStart) bytes = intOf(text, bytesStart, bytesEnd);
  else if (text.charCodeAt(bytesStart) === 45) {
    bytes = 0;
    bytesEnd = bytesStart + 1;
  }
  if (bytes < 0 || (bytesEnd < n && text.charCodeAt(bytesEnd) !== 32)) {
    const stop = text.indexOf(' ', bytesStart);
    return new Malformed(`${f}: expected the response size (digits or -) after the status, found "${text.slice(bytesStart, stop === -1 ? n : stop)}"`);
  }

  // "%{Referer}i" "%{User-agent}i" ["$http_x_forwarded_for"]: present in combined, absent in common.
  let refStart = -1;
  let refEnd = -1;
  let uaStart = -1;
  let uaEnd = -1;
  let xffStart = -1;
  let xffEnd = -1;
  if (bytesEnd < n) {
    if (text.charCodeAt(bytesEnd + 1) !== 34) return new Malformed(`${f}: expected a quoted referrer after the response size`);
    refStart = bytesEnd + 2;
    refEnd = closingQuote(text, refStart, backslash !== -1);
    if (refEnd === -1) return new Malformed(`${f}: unterminated referrer`);
    if (text.charCodeAt(refEnd + 1) !== 32 || text.charCodeAt(refEnd + 2) !== 34) {
      return new Malformed(`${f}: expected a quoted user agent after the referrer`);
    }
    uaStart = refEnd + 3;
    uaEnd = closingQuote(text, uaStart, backslash !== -1);
    if (uaEnd === -1) return new Malformed(`${f}: unterminated user agent`);
    if (text.charCodeAt(uaEnd + 1) === 32 && text.charCodeAt(uaEnd + 2) === 34) {
      xffStart = uaEnd + 3;
      xffEnd = closingQuote(text, xffStart, backslash !== -1);
      if (xffEnd === -1) return new Malformed(`${f}: unterminated X-Forwarded-For`);
    }
  }

  // Build the event: ECS categorisation for web server access logs (category web, type access).
  const address = text.slice(start, addrEnd);
  const source: EcsObject = { address };
  if (isIpAddress(address)) source.ip = address;
  const http: EcsObject = { request: {}, response: { status_code: status, body: { bytes } } };
  const event: EcsEvent = {
    '@timestamp': iso,
    event: {
      kind: 'event',
      category: ['web'],
      type: ['access'],
      outcome: httpOutcome(status),
      dataset: flavour.dataset,
      module: flavour.module,
    },
    source,
    http,
  };
  if (!isDash(text, reqStart, reqEnd)) setRequest(event, http, fieldText(text, reqStart, reqEnd, backslash));
  const userStart = identEnd + 1;
  if (!isDash(text, userStart, bracket)) event.user = { name: fieldText(text, userStart, bracket, backslash) };
  if (refStart !== -1 && refEnd > refStart && !isDash(text, refStart, refEnd)) {
    (http.request as EcsObject).referrer = fieldText(text, refStart, refEnd, backslash);
  }
  if (uaStart !== -1 && uaEnd > uaStart && !isDash(text, uaStart, uaEnd)) {
    event.user_agent = { original: fieldText(text, uaStart, uaEnd, backslash) };
  }
  if (xffStart !== -1 && xffEnd > xffStart && !isDash(text, xffStart, xffEnd)) {
    // ECS network.forwarded_ip: the client address a proxy reported; the first of the list is
    // the original client. It is client-controlled, so source.ip stays the TCP peer.
    const comma = text.indexOf(',', xffStart);
    const first = text.slice(xffStart, comma !== -1 && comma < xffEnd ? comma : xffEnd).trim();
    if (isIpAddress(first)) event.network = { forwarded_ip: first };
  }
  if (vhost !== -1) {
    // vhost_combined `%v:%p`: the server name and port that served the request.
    const url = (event.url ??= {}) as EcsObject;
    const colon = text.lastIndexOf(':', vhost);
    const hostEnd = colon === -1 ? vhost : colon;
    if (hostEnd > 0 && url.domain === undefined) url.domain = text.slice(0, hostEnd);
    if (colon !== -1 && url.port === undefined) {
      const portEnd = digitsEnd(text, colon + 1);
      if (portEnd === vhost && portEnd > colon + 1) url.port = intOf(text, colon + 1, portEnd);
    }
  }
  return event;
}
