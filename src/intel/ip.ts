/**
 * @module intel/ip
 * IP addresses and prefixes as numbers, for the indicator matcher's hot path and for
 * normalisation. An IPv4 address is one signed 32-bit integer (`addr | 0`): on 64-bit Node such
 * values are small integers (Smis), so using them as Map keys or passing them around never
 * allocates, where an unsigned value above 2³¹ would be boxed. An IPv6 address is four such words,
 * most significant first, in an `Int32Array(4)` the caller owns (so parsing does not allocate).
 *
 * Text forms: IPv4 is the dotted quad (RFC 791 §2.3 numbers written as four decimal octets; no
 * shorthand `1.2.3`, no hex). IPv6 follows RFC 4291 §2.2 on input (all three forms, `::`, embedded
 * dotted quad) and RFC 5952 on output. Zone indices (RFC 4007 §11, `fe80::1%eth0`) are refused:
 * they name an interface of one host, which no indicator can mean.
 */

/** Returned by `parseIPv4` for text that is not an address; outside the int32 range on purpose. */
export const NOT_IPV4 = 2 ** 32;

/**
 * The dotted quad in `text[start, end)` as a signed 32-bit integer, or `NOT_IPV4`.
 *
 * Leading zeros (`010.1.1.1`) are the octal ambiguity: inet_aton(3) reads `010` as 8, most log
 * writers mean 10 (they pad to a fixed width). `strict` refuses them (indicators: we cannot tell
 * what the feed meant, so we do not guess); otherwise they are read as decimal (events: log
 * formats pad, nothing writes octal).
 */
export function parseIPv4(text: string, strict: boolean, start = 0, end = text.length): number {
  const n = end - start;
  if (n < 7 || n > 15) return NOT_IPV4;
  // Unrolled per octet (this runs for every address field of every event): 1–3 digits, then a dot.
  let i = start;
  let result = 0;
  for (let octet = 0; octet < 4; octet++) {
    const first = text.charCodeAt(i) - 48;
    if (!(first >= 0 && first <= 9)) return NOT_IPV4;
    let value = first;
    i++;
    let digit = i < end ? text.charCodeAt(i) - 48 : -1;
    if (digit >= 0 && digit <= 9) {
      if (strict && first === 0) return NOT_IPV4;
      value = value * 10 + digit;
      i++;
      digit = i < end ? text.charCodeAt(i) - 48 : -1;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
        i++;
      }
    }
    if (value > 255) return NOT_IPV4;
    result = (result << 8) | value;
    if (octet < 3) {
      if (i >= end || text.charCodeAt(i) !== 46) return NOT_IPV4;
      i++;
    }
  }
  return i === end ? result | 0 : NOT_IPV4;
}

export function formatIPv4(addr: number): string {
  return `${(addr >>> 24) & 255}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

/** Network mask of an IPv4 prefix length (0–32) as int32. */
export function ipv4Mask(len: number): number {
  return len === 0 ? 0 : (-1 << (32 - len)) | 0;
}

const groups = new Uint16Array(8);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: `x:x:x:x:x:x:x:x`, one `::`, optional trailing dotted quad)
 * into `out` (four int32 words). Returns false, leaving `out` undefined, for anything else.
 */
export function parseIPv6(text: string, out: Int32Array, start = 0, end = text.length): boolean {
  const n = end - start;
  if (n < 2 || n > 45) return false;
  let count = 0;
  let compressAt = -1;
  let i = start;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    compressAt = 0;
    i += 2;
  }
  while (i < end) {
    const groupStart = i;
    let value = 0;
    let digits = 0;
    for (; i < end; i++) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
    }
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      // RFC 4291 §2.2 form 3: the low 32 bits as a dotted quad, only at the end.
      if (count > 6) return false;
      const v4 = parseIPv4(text, true, groupStart, end);
      if (v4 === NOT_IPV4) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (compressAt >= 0) return false;
      compressAt = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (compressAt >= 0) {
    // `::` stands for one or more zero groups (RFC 4291 §2.2 form 2).
    if (count > 7) return false;
    const tail = count - compressAt;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k] as number;
    for (let k = compressAt; k < 8 - tail; k++) groups[k] = 0;
  } else if (count !== 8) {
    return false;
  }
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w] as number) << 16) | (groups[2 * w + 1] as number);
  return true;
}

/** `::ffff:0:0/96`, IPv4-mapped IPv6 addresses (RFC 4291 §2.5.5.2). */
export function isIPv4Mapped(words: Int32Array): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/**
 * RFC 5952 canonical text: no leading zeros (§4.1), `::` for the longest run of two or more zero
 * groups, the first one on a tie (§4.2), lower-case hex (§4.3), and IPv4-mapped addresses with
 * the dotted quad, `::ffff:192.0.2.1` (§5). Other IPv4-embedding prefixes (NAT64 `64:ff9b::/96`,
 * the deprecated IPv4-compatible `::/96`) stay in hex: §5 leaves mixed notation to addresses known
 * to embed IPv4, and a matcher must pick one form.
 */
export function formatIPv6(words: Int32Array): string {
  if (isIPv4Mapped(words)) return `::ffff:${formatIPv4(words[3] as number)}`;
  for (let w = 0; w < 4; w++) {
    groups[2 * w] = (words[w] as number) >>> 16;
    groups[2 * w + 1] = (words[w] as number) & 0xffff;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && groups[end] === 0) end++;
    if (end - k > bestLength) {
      bestStart = k;
      bestLength = end - k;
    }
    k = end;
  }
  let text = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      text += '::';
      k += bestLength - 1;
      continue;
    }
    if (text.length > 0 && !text.endsWith(':')) text += ':';
    text += (groups[k] as number).toString(16);
  }
  return text;
}

/** Zeroes the host bits of an IPv6 address (in place) beyond prefix length `len` (0–128). */
export function maskIPv6(words: Int32Array, len: number): void {
  for (let w = 0; w < 4; w++) {
    const bits = len - w * 32;
    if (bits >= 32) continue;
    words[w] = bits <= 0 ? 0 : (words[w] as number) & ipv4Mask(bits);
  }
}

/** An address range, `net/len`, host bits zero. IPv6 words are a fresh array the prefix owns. */
export type ParsedPrefix = { version: 4; net: number; len: number } | { version: 6; words: Int32Array; len: number };

/**
 * Parses `addr/len` (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6), zeroing host bits: feeds
 * write `192.0.2.10/24` for "the /24 around this host", and the range is what they mean.
 * `zeroedHostBits` tells whether anything had to be zeroed (the normaliser reports it).
 */
export function parsePrefix(text: string): (ParsedPrefix & { zeroedHostBits: boolean }) | { error: string } {
  const slash = text.indexOf('/');
  if (slash === -1) return { error: 'a CIDR range needs a prefix length (`192.0.2.0/24`, `2001:db8::/32`)' };
  const lengthText = text.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(lengthText)) return { error: `prefix length "${lengthText}" is not a decimal number without leading zeros` };
  const len = Number(lengthText);
  const v4 = parseIPv4(text, true, 0, slash);
  if (v4 !== NOT_IPV4) {
    if (len > 32) return { error: `IPv4 prefix length ${len} is over 32` };
    const net = v4 & ipv4Mask(len);
    return { version: 4, net, len, zeroedHostBits: net !== v4 };
  }
  const words = new Int32Array(4);
  if (!parseIPv6(text, words, 0, slash)) return { error: `"${text.slice(0, slash)}" is neither a dotted-quad IPv4 nor an IPv6 address` };
  if (len > 128) return { error: `IPv6 prefix length ${len} is over 128` };
  const before = words.slice();
  maskIPv6(words, len);
  const zeroed = words.some((w, k) => w !== before[k]);
  return { version: 6, words, len, zeroedHostBits: zeroed };
}

/** Canonical `addr/len` text of a parsed prefix. */
export function formatPrefix(prefix: ParsedPrefix): string {
  return prefix.version === 4 ? `${formatIPv4(prefix.net)}/${prefix.len}` : `${formatIPv6(prefix.words)}/${prefix.len}`;
}
