/**
 * @module parse/ip
 * Is a log field an IP address? ECS `source.ip` is typed `ip`, so only a literal address goes
 * there; a host name (Apache `%h` with HostnameLookups On) stays in `source.address` alone. IPv4
 * is checked by hand (the common case, on the hot path); IPv6 by Node's own parser.
 */
import { isIPv6 } from 'node:net';

/** Dotted-quad IPv4 (RFC 791 text form): four decimal octets 0–255, no leading `+`, no spaces. */
export function isIPv4Text(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255 || octets === 4) return false;
      octets++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
      value = value * 10 + (c - 48);
    } else {
      return false;
    }
  }
  return octets === 4;
}

/** True for an IPv4 or IPv6 literal (IPv6 per RFC 4291 §2.2, zone index allowed). */
export function isIpAddress(text: string): boolean {
  if (isIPv4Text(text)) return true;
  return text.indexOf(':') !== -1 && isIPv6(text);
}
