/**
 * @module parse/network-values
 * Cheap readers for the numeric network values that ECS types strictly: `*.port` and `*.bytes`
 * are `long`, so a vendor's "N/A" in a port slot must not reach them (it would fail indexing in
 * the store); and `network.transport` is the lower-case IANA keyword even when a device sends the
 * protocol number. Addresses are checked by `ip.ts`.
 */

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
