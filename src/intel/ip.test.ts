import { describe, expect, it } from 'vitest';
import { NOT_IPV4, formatIPv4, formatIPv6, isIPv4Mapped, parseIPv4, parseIPv6, parsePrefix, formatPrefix } from './ip.js';

function v6(text: string): string | null {
  const words = new Int32Array(4);
  return parseIPv6(text, words) ? formatIPv6(words) : null;
}

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', -1],
    ['192.0.2.1', (192 << 24) | (2 << 8) | 1],
    ['128.0.0.0', -2147483648],
  ])('%s', (text, value) => {
    expect(parseIPv4(text, true)).toBe(value);
    expect(formatIPv4(value)).toBe(text);
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.4 ', '+1.2.3.4', '1..2.3', '0x7f.0.0.1', '', '1.2.3.-4', '1111.1.1.1'])('refuses %j', (text) => {
    expect(parseIPv4(text, true)).toBe(NOT_IPV4);
    expect(parseIPv4(text, false)).toBe(NOT_IPV4);
  });

  it('refuses leading zeros when strict, reads them as decimal otherwise', () => {
    expect(parseIPv4('010.001.000.009', true)).toBe(NOT_IPV4);
    expect(formatIPv4(parseIPv4('010.001.000.009', false))).toBe('10.1.0.9');
    expect(parseIPv4('10.0.0.0', true)).not.toBe(NOT_IPV4);
  });

  it('reads a range of a longer text', () => {
    expect(formatIPv4(parseIPv4('x=192.0.2.7;', true, 2, 11))).toBe('192.0.2.7');
  });
});

describe('IPv6 (RFC 4291 §2.2 in, RFC 5952 out)', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group stays
    ['2001:db8::0:1', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['fe80::', 'fe80::'],
    ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], // longest run wins
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:C000:0201', '::ffff:192.0.2.1'], // §5: mapped in dotted form
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
  ])('%s → %s', (input, canonical) => {
    expect(v6(input)).toBe(canonical);
  });

  it.each(['', ':', ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '::1%eth0', '1:2:3:4:5:6:7:8::', '::1.2.3', '::01.2.3.4', '1:', '[::1]', '1:2:3:4:5:6:1.2.3.4:1'])('refuses %j', (text) => {
    expect(v6(text)).toBeNull();
  });

  it('recognises IPv4-mapped addresses', () => {
    const words = new Int32Array(4);
    parseIPv6('::ffff:10.1.2.3', words);
    expect(isIPv4Mapped(words)).toBe(true);
    expect(formatIPv4(words[3] as number)).toBe('10.1.2.3');
  });
});

describe('parsePrefix', () => {
  it.each([
    ['192.0.2.7/24', '192.0.2.0/24', true],
    ['192.0.2.0/24', '192.0.2.0/24', false],
    ['0.0.0.0/0', '0.0.0.0/0', false],
    ['255.255.255.255/1', '128.0.0.0/1', true],
    ['10.1.2.3/32', '10.1.2.3/32', false],
    ['2001:db8::1/32', '2001:db8::/32', true],
    ['2001:DB8:1:2:3:4:5:6/64', '2001:db8:1:2::/64', true],
    ['::/0', '::/0', false],
    ['2001:db8::1/128', '2001:db8::1/128', false],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/97', 'ffff:ffff:ffff:ffff:ffff:ffff:8000:0/97', true],
  ])('%s → %s', (input, canonical, zeroed) => {
    const prefix = parsePrefix(input);
    if ('error' in prefix) throw new Error(prefix.error);
    expect(formatPrefix(prefix)).toBe(canonical);
    expect(prefix.zeroedHostBits).toBe(zeroed);
  });

  it.each([
    ['192.0.2.0', 'needs a prefix length'],
    ['192.0.2.0/33', 'over 32'],
    ['2001:db8::/129', 'over 128'],
    ['192.0.2.0/024', 'leading zeros'],
    ['192.0.2.0/', 'not a decimal'],
    ['192.0.2/24', 'neither'],
    ['010.0.0.0/8', 'neither'],
  ])('%s: %s', (input, message) => {
    const prefix = parsePrefix(input);
    expect('error' in prefix && prefix.error).toContain(message);
  });
});
