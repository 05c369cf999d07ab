/**
 * @module inventory/addresses
 * How a system names where it lives, checked and put in canonical form when it is registered, so
 * attribution compares plain strings and numbers: host names (exact, or `*.suffix` for every name
 * below a suffix), base URLs of the online services, and IP ranges.
 */
import { domainToASCII } from 'node:url';
import { formatPrefix, NOT_IPV4, parseIPv4, parseIPv6, parsePrefix } from '../intel/ip.js';
import { normaliseUrl } from '../intel/normalise.js';

export type Checked = { value: string } | { error: string };

/** LDH labels (RFC 1035 §2.3.1, RFC 1123 §2.1) plus `_` (RFC 2181 §11), after IDNA. */
function labelProblem(label: string): string | null {
  if (label.length === 0) return 'has an empty label';
  if (label.length > 63) return `label "${label}" is longer than 63 characters (RFC 1035 §2.3.4)`;
  if (!/^[a-z0-9_-]+$/.test(label)) return `label "${label}" has a character other than letters, digits, "-" and "_"`;
  if (label.startsWith('-') || label.endsWith('-')) return `label "${label}" starts or ends with "-" (RFC 1123 §2.1)`;
  return null;
}

/**
 * A host name or `*.suffix` pattern: lower-case ASCII (IDNA, UTS #46, for Vietnamese names), no
 * trailing dot. A wildcard needs at least two labels after `*.` — `*.vn` would claim a country.
 */
export function checkHostname(input: string): Checked {
  const text = input.trim();
  const wildcard = text.startsWith('*.');
  const rest = (wildcard ? text.slice(2) : text).replace(/\.$/, '');
  if (rest.includes('*')) return { error: `"${input}": a wildcard is only allowed as the first label, as in *.example.gov.vn` };
  if (/[/:@\s]/.test(rest)) return { error: `"${input}" is not a host name (a URL or address? put it in urls or ipRanges)` };
  if (parseIPv4(rest, false) !== NOT_IPV4) return { error: `"${input}" is an IP address; put it in ipRanges` };
  const ascii = domainToASCII(rest.toLowerCase());
  if (ascii.length === 0) return { error: `"${input}" is not a valid host name (IDNA processing failed)` };
  if (ascii.length > 253) return { error: `"${input}" is longer than 253 characters (RFC 1035 §2.3.4)` };
  const labels = ascii.split('.');
  for (const label of labels) {
    const problem = labelProblem(label);
    if (problem !== null) return { error: `"${input}" ${problem}` };
  }
  if (wildcard && labels.length < 2) return { error: `"${input}": a wildcard needs at least two labels after "*." ` };
  return { value: wildcard ? `*.${ascii}` : ascii };
}

/** The parts attribution compares: host (no port, IPv6 without brackets) and path (no trailing `/`). */
export interface BaseUrl {
  host: string;
  path: string;
}

/**
 * A base URL: http or https, no credentials, query or fragment; canonical as intel/normalise
 * makes it (WHATWG parsing, lower-case host, default port removed, dot segments resolved), with a
 * trailing slash removed (`https://a.gov.vn/dvc/` and `…/dvc` name the same service).
 */
export function checkBaseUrl(input: string): Checked {
  const normalised = normaliseUrl(input.trim());
  if ('error' in normalised) return { error: normalised.error };
  const url = new URL(normalised.value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `"${input}": only http and https URLs name online services` };
  if (url.username !== '' || url.password !== '') return { error: `"${input}": a base URL must not carry credentials` };
  if (url.search !== '' || input.includes('#')) return { error: `"${input}": a base URL has no query or fragment` };
  const value = normalised.value.endsWith('/') ? normalised.value.slice(0, -1) : normalised.value;
  return { value };
}

/** Host and path of a canonical base URL (as `checkBaseUrl` returns it). */
export function splitBaseUrl(canonical: string): BaseUrl {
  const url = new URL(canonical);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return { host, path };
}

/**
 * An IP range as CIDR (RFC 4632 §3.1, RFC 4291 §2.3); a bare address is the range of that one
 * address (/32, /128). Host bits are cleared (`192.0.2.10/24` is `192.0.2.0/24`), as intel/ip reads ranges.
 */
export function checkIpRange(input: string): Checked {
  const text = input.trim();
  if (!text.includes('/')) {
    if (parseIPv4(text, true) !== NOT_IPV4) return checkIpRange(`${text}/32`);
    if (parseIPv6(text, new Int32Array(4))) return checkIpRange(`${text}/128`);
    return { error: `"${input}" is neither an IPv4 nor an IPv6 address or CIDR range` };
  }
  const parsed = parsePrefix(text);
  if ('error' in parsed) return { error: `"${input}": ${parsed.error}` };
  return { value: formatPrefix(parsed) };
}
