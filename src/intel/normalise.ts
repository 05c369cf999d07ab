/**
 * @module intel/normalise
 * Canonical text of every indicator type (intel/model `IndicatorType`), so that the same
 * observable written two ways by two feeds is one indicator, and an event's value, canonicalised
 * the same way, finds it with one hash lookup. `normaliseIndicator` is the single entry point: it
 * validates and returns the canonical value or an error saying what is wrong.
 *
 * Decisions that are not obvious:
 * - IPv4 with leading zeros (`010.0.0.1`) is refused, not guessed (octal to inet_aton(3), decimal
 *   to most tools); see intel/ip.
 * - IPv6 is RFC 5952 text; IPv4-mapped addresses keep the `::ffff:a.b.c.d` form (the matcher also
 *   matches them against IPv4 indicators).
 * - CIDR host bits are zeroed, not refused (`192.0.2.7/24` → `192.0.2.0/24`).
 * - Domains: a single label (a TLD) is refused, since a domain indicator matches every name under
 *   it; a wildcard `*.x` is refused with a hint, since subdomains are matched anyway.
 * - E-mail: only the domain part is lower-cased; the local part is case-sensitive (RFC 5321 §2.4).
 */
import { domainToASCII } from 'node:url';
import type { IndicatorType } from './model.js';
import { NOT_IPV4, formatIPv6, formatPrefix, parseIPv4, parseIPv6, parsePrefix } from './ip.js';

export type Normalised = { value: string } | { error: string };

/** Longest user-agent kept as an indicator; longer ones are truncated junk or an attack on us. */
export const MAX_USER_AGENT_LENGTH = 4096;
/** Longest URL kept as an indicator (and normalised from an event). */
export const MAX_URL_LENGTH = 8192;

/** The canonical value of `raw` as an indicator of `type`, or why it cannot be one. */
export function normaliseIndicator(type: IndicatorType, raw: string): Normalised {
  if (typeof raw !== 'string') return { error: `the value must be a string, not ${raw === null ? 'null' : typeof raw}` };
  const text = raw.trim();
  if (text.length === 0) return { error: 'the value is empty' };
  switch (type) {
    case 'ipv4':
      return normaliseIPv4(text);
    case 'ipv6':
      return normaliseIPv6(text);
    case 'cidr':
      return normaliseCidr(text);
    case 'domain':
      return normaliseDomain(text);
    case 'url':
      return normaliseUrl(text);
    case 'md5':
      return normaliseHex(text, 32, 'an MD5 hash');
    case 'sha1':
      return normaliseHex(text, 40, 'a SHA-1 hash');
    case 'sha256':
      return normaliseHex(text, 64, 'a SHA-256 hash');
    case 'email':
      return normaliseEmail(text);
    case 'ja3':
      return normaliseHex(text, 32, 'a JA3 fingerprint (the MD5 of the JA3 string)');
    case 'ja4':
      return normaliseJa4(text);
    case 'user-agent':
      return text.length > MAX_USER_AGENT_LENGTH ? { error: `a user-agent longer than ${MAX_USER_AGENT_LENGTH} characters is not kept` } : { value: text };
    default:
      return { error: `unknown indicator type "${String(type)}"` };
  }
}

function normaliseIPv4(text: string): Normalised {
  if (parseIPv4(text, true) !== NOT_IPV4) return { value: text };
  if (parseIPv4(text, false) !== NOT_IPV4) return { error: `"${text}" has an octet with a leading zero, which some tools read as octal; write it without` };
  if (text.includes('/')) return { error: `"${text}" is a range; use type cidr` };
  return { error: `"${text}" is not a dotted-quad IPv4 address` };
}

const scratch = new Int32Array(4);

function normaliseIPv6(text: string): Normalised {
  if (text.includes('%')) return { error: `"${text}" has a zone index, which only means something on one host` };
  if (text.includes('/')) return { error: `"${text}" is a range; use type cidr` };
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!parseIPv6(bare, scratch)) return { error: `"${text}" is not an IPv6 address (RFC 4291 §2.2)` };
  return { value: formatIPv6(scratch) };
}

function normaliseCidr(text: string): Normalised {
  const prefix = parsePrefix(text);
  if ('error' in prefix) return prefix;
  return { value: formatPrefix(prefix) };
}

/** Label characters after IDNA: LDH (RFC 1035 §2.3.1, RFC 1123 §2.1) plus `_` (RFC 2181 §11). */
function isLabelCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

/**
 * Lower-case ASCII form of a host name as events carry it: trailing dot removed (the root label,
 * RFC 1034 §3.1), upper-case folded, and IDNA (UTS #46, as WHATWG URL) to punycode only when
 * there is something outside ASCII, so the common case costs one scan. Returns '' when IDNA fails.
 * Does not validate labels: `normaliseDomain` does for indicators; an event's junk simply misses.
 */
export function canonicalHostName(text: string): string {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 46) end--;
  let upper = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c > 127) {
      const ascii = domainToASCII(text.slice(0, end).toLowerCase());
      return ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
    }
  }
  const trimmed = end === text.length ? text : text.slice(0, end);
  return upper ? trimmed.toLowerCase() : trimmed;
}

function normaliseDomain(text: string): Normalised {
  if (text.startsWith('*.')) return { error: `"${text}": write the domain without "*." — a domain indicator already matches its subdomains` };
  if (/[/:@\s]/.test(text)) return { error: `"${text}" is not a bare domain name (a URL, address or e-mail? use that type)` };
  const lower = text.toLowerCase();
  const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  if (parseIPv4(name, false) !== NOT_IPV4) return { error: `"${text}" is an IP address; use type ipv4` };
  // Always through IDNA here, even for ASCII: it refuses invalid punycode (`xn--zz`). For valid
  // ASCII names its result is the lower-cased input, which is what `canonicalHostName` gives events.
  const ascii = domainToASCII(name);
  if (ascii.length === 0) return { error: `"${text}" is not a valid domain name (UTS #46 processing failed)` };
  if (parseIPv4(ascii, false) !== NOT_IPV4) return { error: `"${text}" is an IP address written another way (${ascii}); use type ipv4` };
  const problem = domainProblem(ascii);
  return problem === null ? { value: ascii } : { error: `"${text}": ${problem}` };
}

/** Why an ASCII (post-IDNA) name is not a usable domain indicator, or null. */
function domainProblem(name: string): string | null {
  // RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters of text.
  if (name.length > 253) return 'longer than 253 characters (RFC 1035 §2.3.4)';
  const labels = name.split('.');
  if (labels.length < 2) return 'a single label (a top-level domain) would match every name under it';
  for (const label of labels) {
    if (label.length === 0) return 'has an empty label';
    if (label.length > 63) return `label "${label}" is longer than 63 characters (RFC 1035 §2.3.4)`;
    for (let i = 0; i < label.length; i++) {
      if (!isLabelCode(label.charCodeAt(i))) return `label "${label}" has a character other than letters, digits, "-" and "_"`;
    }
    if (label.startsWith('-') || label.endsWith('-')) return `label "${label}" starts or ends with "-" (RFC 1123 §2.1)`;
  }
  // RFC 3696 §2: a top-level domain is never all-numeric (that would be an address).
  if (/^[0-9]+$/.test(labels[labels.length - 1] as string)) return 'the top-level label is all digits';
  return null;
}

/** WHATWG "special" schemes that have a host (the URL Standard, §4.1 "special scheme"), except file. */
const urlSchemes = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:']);

/**
 * URL canonical form: the WHATWG URL parser (which lower-cases the scheme and host, applies IDNA,
 * removes the scheme's default port and dot segments — RFC 3986 §6.2.2.3 — and percent-encodes
 * what must be), then: the fragment dropped (never sent to the server, RFC 3986 §3.5), a trailing
 * dot of the host removed (as for domains), and in path and query the percent-encodings of
 * unreserved characters decoded and the others' hex upper-cased (RFC 3986 §6.2.2.1–2, §2.3).
 * An empty query (`?` alone) is dropped with the fragment, as WHATWG's `search` does.
 */
export function normaliseUrl(text: string): Normalised {
  if (text.length > MAX_URL_LENGTH) return { error: `a URL longer than ${MAX_URL_LENGTH} characters is not kept` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `"${text}" is not an absolute URL (WHATWG URL parsing failed)` };
  }
  if (!urlSchemes.has(url.protocol)) return { error: `scheme "${url.protocol}" is not supported; only http, https, ftp, ws and wss URLs are` };
  let host = url.hostname;
  if (host.startsWith('[')) {
    // WHATWG writes IPv4-mapped addresses in hex (`[::ffff:c000:201]`); ours is RFC 5952 §5.
    if (parseIPv6(host, scratch, 1, host.length - 1)) host = `[${formatIPv6(scratch)}]`;
  } else if (host.endsWith('.')) {
    host = host.slice(0, -1);
  }
  if (host.length === 0) return { error: `"${text}" has no host` };
  const userinfo = url.username.length > 0 || url.password.length > 0 ? `${url.username}${url.password.length > 0 ? `:${url.password}` : ''}@` : '';
  const port = url.port.length > 0 ? `:${url.port}` : '';
  return { value: `${url.protocol}//${userinfo}${host}${port}${normalisePercentEncoding(url.pathname)}${normalisePercentEncoding(url.search)}` };
}

/** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126;
}

const hexDigits = '0123456789ABCDEF';

/** Decodes `%XX` of unreserved characters, upper-cases the hex of the rest (RFC 3986 §6.2.2.1–2). */
export function normalisePercentEncoding(text: string): string {
  if (!text.includes('%')) return text;
  let out = '';
  let copied = 0;
  for (let i = text.indexOf('%'); i !== -1 && i + 2 < text.length; i = text.indexOf('%', i + 1)) {
    const high = hexValueOf(text.charCodeAt(i + 1));
    const low = hexValueOf(text.charCodeAt(i + 2));
    if (high < 0 || low < 0) continue;
    const code = high * 16 + low;
    out += text.slice(copied, i);
    out += isUnreserved(code) ? String.fromCharCode(code) : `%${hexDigits[high]}${hexDigits[low]}`;
    copied = i + 3;
    i += 2;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function hexValueOf(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function normaliseHex(text: string, length: number, what: string): Normalised {
  if (text.length !== length) return { error: `${what} has ${length} hex digits, not ${text.length} characters` };
  if (!/^[0-9a-fA-F]+$/.test(text)) return { error: `${what} is hex digits only` };
  return { value: text.toLowerCase() };
}

/** Local part limit of RFC 5321 §4.5.3.1.1. */
const MAX_LOCAL_PART = 64;

function normaliseEmail(text: string): Normalised {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { error: `"${text}" is not an address of the form local@domain` };
  const local = text.slice(0, at);
  if (local.length > MAX_LOCAL_PART) return { error: `the local part is longer than ${MAX_LOCAL_PART} characters (RFC 5321 §4.5.3.1.1)` };
  if (/[\s<>]/.test(local) || /^mailto:/i.test(local)) return { error: `"${text}" is not a bare address (no spaces, angle brackets or mailto:)` };
  const domainText = text.slice(at + 1);
  if (domainText.startsWith('[')) return { error: `"${text}": address literals are not supported as indicators; use the IP` };
  const domain = normaliseDomain(domainText);
  if ('error' in domain) return { error: `the domain part of "${text}" is not valid: ${domain.error}` };
  return { value: `${local}@${domain.value}` };
}

/**
 * JA4 (FoxIO, "JA4+ network fingerprinting", JA4 TLS client): `a_b_c` where a is the protocol
 * (t TCP, q QUIC, d DTLS), the TLS version (2), SNI d/i, the cipher and extension counts (2 digits
 * each) and the ALPN's first and last characters (2); b and c are 12 hex digits of truncated
 * SHA-256. Only this hashed form; the raw `_r`/`_o` forms are not indicators.
 */
const ja4Shape = /^[tqd][0-9a-z]{2}[di][0-9]{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/;

function normaliseJa4(text: string): Normalised {
  const lower = text.toLowerCase();
  if (!ja4Shape.test(lower)) return { error: `"${text}" is not a JA4 fingerprint (shape t13d1516h2_8daaf6152771_b186095e22b6)` };
  return { value: lower };
}
