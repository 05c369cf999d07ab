/**
 * @module intel/stix/address
 * IP addresses and networks as STIX uses them: an `ipv4-addr`/`ipv6-addr` value is a single
 * address or a CIDR block (STIX 2.1 §6.8, §6.9), and ISSUBSET/ISSUPERSET compare them as sets of
 * addresses (§9.6.1, "identical single IP address or identical IP subnet" counts as both). A
 * block written with host bits set (`192.0.2.7/24`) means its network, as Python's non-strict
 * `ip_network` reads it. Canonical text is dotted quads for IPv4 and RFC 5952 for IPv6 (lower
 * case, no leading zeros, the longest run of two or more zero groups as `::`). Address parsing is
 * the one the Sigma `cidr` modifier uses.
 */
import { inCidr, parseIp } from '../../detect/sigma/cidr.js';

export interface Network {
  bytes: Uint8Array;
  prefix: number;
}

/** `addr` or `addr/len` as a network; null when either part is invalid. */
export function parseNetwork(text: string): Network | null {
  const parts = text.trim().split('/');
  if (parts.length > 2) return null;
  const bytes = parseIp(parts[0] ?? '');
  if (!bytes) return null;
  const max = bytes.length * 8;
  const prefixText = parts[1];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  const masked = new Uint8Array(bytes);
  for (let bit = prefix; bit < max; bit++) masked[bit >> 3] = (masked[bit >> 3] ?? 0) & ~(0x80 >> (bit & 7));
  return { bytes: masked, prefix };
}

/** True when every address of `inner` is in `outer` (IPv4-mapped IPv6 addresses count as IPv4). */
export function isSubnetOf(inner: Network, outer: Network): boolean {
  const innerBits = inner.bytes.length === 16 && outer.bytes.length === 4 ? inner.prefix - 96 : inner.prefix;
  return innerBits >= outer.prefix && inCidr(inner.bytes, outer);
}

export function isIpv4(n: Network): boolean {
  return n.bytes.length === 4;
}

/** True when the network is a single address (/32 or /128). */
export function isSingleAddress(n: Network): boolean {
  return n.prefix === n.bytes.length * 8;
}

/** The canonical text of an address: dotted quad, or RFC 5952 §4 for IPv6. */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // RFC 5952 §5: IPv4-mapped addresses keep their dotted tail.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${Array.from(bytes.subarray(12)).join('.')}`;
  let bestStart = -1;
  let bestLength = 1; // §4.2.2: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i]; // §4.2.3: the first of equal runs
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** `addr` for a single address, else `addr/len`; with `always`, the `/len` is written for single addresses too. */
export function formatNetwork(n: Network, always = false): string {
  const addr = formatAddress(n.bytes);
  return !always && isSingleAddress(n) ? addr : `${addr}/${n.prefix}`;
}
