/**
 * @module parse/network-values
 * Cheap checks for the network values that ECS types strictly: `*.ip` is an `ip` field and
 * `*.port` a `long`, so a vendor's "N/A" or host name in an address slot must not reach them (it
 * would fail indexing in the store). Callers keep the raw text elsewhere (`source.address`, the
 * format's own raw object) and write `*.ip` / `*.port` only when these say yes.
 */

/** True for a dotted-quad IPv4 address (RFC 791 text form, no leading `+`, octets 0–255). */
function isIpv4(text: string, start: number, end: number): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0) return false;
      octets++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else {
      return false;
    }
  }
  return digits > 0 && octets === 3;
}

/**
 * True for an IPv4 address or an IPv6 address in RFC 4291 §2.2 text form (hex groups, `::`, an
 * embedded dotted quad, an optional `%zone`). IPv6 is checked for its alphabet and shape, not
 * group-exactly: good enough to keep host names and junk out of ECS `ip` fields.
 */
export function isIpAddress(text: string): boolean {
  const n = text.length;
  if (n < 2 || n > 64) return false;
  if (text.indexOf(':') === -1) return isIpv4(text, 0, n);
  let end = text.indexOf('%');
  if (end === -1) end = n;
  let colons = 0;
  let groupLen = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) {
      colons++;
      groupLen = 0;
    } else if ((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102)) {
      if (++groupLen > 4) return false;
    } else if (c === 46) {
      // IPv4-mapped tail (::ffff:192.0.2.1): the rest from the last colon is a dotted quad.
      return colons >= 2 && isIpv4(text, text.lastIndexOf(':', i) + 1, end);
    } else {
      return false;
    }
  }
  return colons >= 2 && colons <= 7;
}

/** The TCP/UDP port number in `text` (decimal, 0–65535), or -1. */
export function parsePort(text: string): number {
  const n = text.length;
  if (n === 0 || n > 5) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value <= 65535 ? value : -1;
}

/** A non-negative decimal integer in `text` (e.g. a byte count or a pid), or -1. */
export function parseCount(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** ECS `network.transport` (lower case, IANA keyword) for a protocol name or IANA number. */
export function transportName(text: string): string {
  switch (text) {
    case '6': return 'tcp';
    case '17': return 'udp';
    case '1': return 'icmp';
    case '58': return 'ipv6-icmp';
    case '47': return 'gre';
    case '50': return 'esp';
    case '132': return 'sctp';
    default: return text.toLowerCase();
  }
}
