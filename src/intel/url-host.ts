/**
 * @module intel/url-host
 * The host of an absolute URL, as the WHATWG URL parser would give it, without running the parser
 * in the common case. Most events carry a URL, and `new URL()` costs more than the whole rest of
 * matching an event; the matcher only needs the host (to match domain indicators, and to know
 * whether any URL indicator could match at all). A plain `scheme://host[:port]/…` with an ASCII
 * host of letters, digits, `-`, `_`, `.` is read by hand and reported as a range of the URL
 * string, so nothing is allocated; anything else — userinfo, percent signs, IPv6 brackets,
 * non-ASCII, a numeric last label that is not a dotted quad — goes to the real parser, so the two
 * paths never disagree.
 */
import { NOT_IPV4, formatIPv6, parseIPv4, parseIPv6 } from './ip.js';

/** Schemes whose URLs can be indicators (intel/normalise), with the colon, as WHATWG's `protocol`. */
const schemes = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:']);
const words = new Int32Array(4);

/** Where a URL's host is: `text.slice(start, end)`, lower-case, no trailing dot. */
export interface HostRange {
  text: string;
  start: number;
  end: number;
  /** The host is an IPv6 address (RFC 5952 text, without brackets). */
  ipv6: boolean;
}

/** Whether `text` starts with one of our schemes (any case), `length` letters long. */
function isOurScheme(text: string, length: number): boolean {
  const c0 = text.charCodeAt(0) | 0x20;
  const c1 = text.charCodeAt(1) | 0x20;
  if (length === 2) return c0 === 119 && c1 === 115; // ws
  const c2 = text.charCodeAt(2) | 0x20;
  if (length === 3) return (c0 === 102 && c1 === 116 && c2 === 112) || (c0 === 119 && c1 === 115 && c2 === 115); // ftp, wss
  const http = c0 === 104 && c1 === 116 && c2 === 116 && (text.charCodeAt(3) | 0x20) === 112;
  if (length === 4) return http;
  return length === 5 && http && (text.charCodeAt(4) | 0x20) === 115; // https
}

/**
 * Finds the host of an absolute http, https, ftp, ws or wss URL and writes it to `out`: host
 * names lower-case, punycode, without a trailing dot; IPv6 in RFC 5952 form without brackets.
 * Returns false when `text` is not such a URL.
 */
export function locateUrlHost(text: string, out: HostRange): boolean {
  const fast = fastHost(text, out);
  return fast === null ? parsedHost(text, out) : fast;
}

/** The host as a string ('' when `text` is not a URL we match). */
export function urlHost(text: string): string {
  const range: HostRange = { text: '', start: 0, end: 0, ipv6: false };
  return locateUrlHost(text, range) ? range.text.slice(range.start, range.end) : '';
}

/** Reads a simple URL by hand: true/false, or null to ask the parser. */
function fastHost(text: string, out: HostRange): boolean | null {
  const n = text.length;
  let i = 0;
  for (; i < n && i < 6; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
  }
  // WHATWG strips leading C0 controls and spaces; leave such input to it.
  if (i === 0) return n > 0 && text.charCodeAt(0) <= 32 ? null : false;
  // Our schemes are 2–5 letters and a colon; anything else is relative or another scheme.
  if (i > 5 || text.charCodeAt(i) !== 58 /* : */ || !isOurScheme(text, i)) return false;
  if (text.charCodeAt(i + 1) !== 47 || text.charCodeAt(i + 2) !== 47) return null; // `http:host`: WHATWG still finds a host
  const start = i + 3;
  let end = start;
  let upper = false;
  for (; end < n; end++) {
    const c = text.charCodeAt(end);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46) continue;
    if (c >= 65 && c <= 90) {
      upper = true;
      continue;
    }
    if (c === 47 || c === 63 || c === 35 || c === 92) break; // / ? # and \ (a slash in special URLs)
    if (c === 58) {
      // a port: digits up to the end of the authority
      for (let p = end + 1; p < n; p++) {
        const d = text.charCodeAt(p);
        if (d === 47 || d === 63 || d === 35 || d === 92) break;
        if (d < 48 || d > 57) return null;
      }
      break;
    }
    return null;
  }
  let hostEnd = end;
  if (hostEnd > start && text.charCodeAt(hostEnd - 1) === 46) hostEnd--;
  if (hostEnd === start) return null;
  let lastLabel = hostEnd - 1;
  while (lastLabel > start && text.charCodeAt(lastLabel - 1) !== 46) lastLabel--;
  const first = text.charCodeAt(lastLabel);
  // WHATWG reads a host ending in a number as IPv4 (`1.2.3`, `0x7f.1` …): only the plain dotted quad here.
  if (first >= 48 && first <= 57 && parseIPv4(text, true, start, hostEnd) === NOT_IPV4) return null;
  if (upper) {
    out.text = text.slice(start, hostEnd).toLowerCase();
    out.start = 0;
    out.end = out.text.length;
  } else {
    out.text = text;
    out.start = start;
    out.end = hostEnd;
  }
  out.ipv6 = false;
  return true;
}

function parsedHost(text: string, out: HostRange): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (!schemes.has(url.protocol)) return false;
  let host = url.hostname;
  out.ipv6 = host.startsWith('[');
  if (out.ipv6) {
    if (!parseIPv6(host, words, 1, host.length - 1)) return false;
    host = formatIPv6(words);
  } else if (host.endsWith('.')) {
    host = host.slice(0, -1);
  }
  if (host.length === 0) return false;
  out.text = host;
  out.start = 0;
  out.end = host.length;
  return true;
}
