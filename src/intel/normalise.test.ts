import { describe, expect, it } from 'vitest';
import type { IndicatorType } from './model.js';
import { canonicalHostName, normaliseIndicator, normalisePercentEncoding } from './normalise.js';

const valid: [IndicatorType, string, string][] = [
  ['ipv4', ' 192.0.2.1 ', '192.0.2.1'],
  ['ipv4', '0.0.0.0', '0.0.0.0'],
  ['ipv6', '2001:0DB8::0001', '2001:db8::1'],
  ['ipv6', '[2001:db8::1]', '2001:db8::1'],
  ['ipv6', '::ffff:c000:0201', '::ffff:192.0.2.1'],
  ['ipv6', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['cidr', '192.0.2.77/24', '192.0.2.0/24'],
  ['cidr', '10.0.0.1/32', '10.0.0.1/32'],
  ['cidr', '2001:DB8::1/48', '2001:db8::/48'],
  ['cidr', '::/0', '::/0'],
  ['domain', 'Evil.Example.VN.', 'evil.example.vn'],
  ['domain', 'tênmiền.vn', 'xn--tnmin-hsa0954c.vn'],
  ['domain', 'BÜCHER.example', 'xn--bcher-kva.example'],
  ['domain', '_dmarc.evil.vn', '_dmarc.evil.vn'],
  ['domain', 'xn--tnmin-hsa0954c.vn', 'xn--tnmin-hsa0954c.vn'],
  ['domain', '1password.com', '1password.com'],
  ['url', 'HTTP://Evil.Example.VN:80/a/./b/../c?x=1#frag', 'http://evil.example.vn/a/c?x=1'],
  ['url', 'https://evil.vn:443', 'https://evil.vn/'],
  ['url', 'https://evil.vn:8443/x', 'https://evil.vn:8443/x'],
  ['url', 'http://evil.vn/%7euser/%41%62c%2fd%3f?q=%7e%2a%2A', 'http://evil.vn/~user/Abc%2Fd%3F?q=~%2A%2A'],
  ['url', 'http://evil.vn/a%2eb', 'http://evil.vn/a.b'],
  ['url', 'http://tênmiền.vn/đường dẫn', 'http://xn--tnmin-hsa0954c.vn/%C4%91%C6%B0%E1%BB%9Dng%20d%E1%BA%ABn'],
  ['url', 'http://evil.vn./x', 'http://evil.vn/x'],
  ['url', 'http://[2001:DB8::1]:8080/x', 'http://[2001:db8::1]:8080/x'],
  ['url', 'http://[::ffff:192.0.2.1]/', 'http://[::ffff:192.0.2.1]/'],
  ['url', 'http://0x7f.1/', 'http://127.0.0.1/'],
  ['url', 'http://user:pw@evil.vn/', 'http://user:pw@evil.vn/'],
  ['url', 'http://evil.vn/?', 'http://evil.vn/'],
  ['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['email', 'Phishing.Team@Evil.VN', 'Phishing.Team@evil.vn'],
  ['email', '"odd@local"@tênmiền.vn', '"odd@local"@xn--tnmin-hsa0954c.vn'],
  ['ja3', '72A589DA586844D7F0818CE684948EEA', '72a589da586844d7f0818ce684948eea'],
  ['ja4', 'T13D1516H2_8DAAF6152771_B186095E22B6', 't13d1516h2_8daaf6152771_b186095e22b6'],
  ['ja4', 'q13i0310h3_55b375c5d22e_cd85d2d88918', 'q13i0310h3_55b375c5d22e_cd85d2d88918'],
  ['user-agent', '  sqlmap/1.8.11#stable (https://sqlmap.org)\n', 'sqlmap/1.8.11#stable (https://sqlmap.org)'],
];

const invalid: [IndicatorType, string, string][] = [
  ['ipv4', '', 'empty'],
  ['ipv4', '010.0.0.1', 'leading zero'],
  ['ipv4', '1.2.3', 'not a dotted-quad'],
  ['ipv4', '192.0.2.0/24', 'use type cidr'],
  ['ipv4', '2001:db8::1', 'not a dotted-quad'],
  ['ipv6', 'fe80::1%eth0', 'zone index'],
  ['ipv6', '2001:db8::/32', 'use type cidr'],
  ['ipv6', '2001:db8::g', 'not an IPv6 address'],
  ['ipv6', '192.0.2.1', 'not an IPv6 address'],
  ['cidr', '192.0.2.0', 'prefix length'],
  ['cidr', '192.0.2.0/40', 'over 32'],
  ['domain', 'vn', 'single label'],
  ['domain', '*.evil.vn', 'without "*."'],
  ['domain', 'http://evil.vn/', 'not a bare domain'],
  ['domain', 'evil..vn', 'empty label'],
  ['domain', '-evil.vn', 'starts or ends with "-"'],
  ['domain', 'evil-.vn', 'starts or ends with "-"'],
  ['domain', 'ev!l.vn', 'character other than'],
  ['domain', `${'a'.repeat(64)}.vn`, 'longer than 63'],
  ['domain', `${'abcdefghi.'.repeat(26)}vn`, 'longer than 253'],
  ['domain', '192.0.2.1', 'IP address'],
  ['domain', '0x7f.0.0.1', 'IP address'],
  ['domain', 'evil.123', 'not a valid domain name'],
  ['domain', 'xn--zz.vn', 'UTS #46'],
  ['url', '/relative/path', 'not an absolute URL'],
  ['url', 'evil.vn/path', 'not an absolute URL'],
  ['url', 'javascript:alert(1)', 'not supported'],
  ['url', 'file:///etc/passwd', 'not supported'],
  ['url', `http://evil.vn/${'a'.repeat(9000)}`, 'longer than'],
  ['md5', 'd41d8cd98f00b204e9800998ecf8427', 'has 32 hex digits'],
  ['md5', 'z41d8cd98f00b204e9800998ecf8427e', 'hex digits only'],
  ['sha1', 'd41d8cd98f00b204e9800998ecf8427e', 'has 40'],
  ['sha256', 'abc', 'has 64'],
  ['email', 'no-at-sign', 'local@domain'],
  ['email', '@evil.vn', 'local@domain'],
  ['email', 'x@', 'local@domain'],
  ['email', 'x@vn', 'single label'],
  ['email', 'x@[192.0.2.1]', 'address literals'],
  ['email', `${'a'.repeat(65)}@evil.vn`, 'longer than 64'],
  ['email', 'Name <x@evil.vn>', 'not a bare address'],
  ['ja3', '771,4865-4866,0-23,29-23,0', 'JA3'],
  ['ja4', 't13d1516h2_8daaf6152771', 'not a JA4'],
  ['ja4', 'x13d1516h2_8daaf6152771_b186095e22b6', 'not a JA4'],
  ['user-agent', '   ', 'empty'],
  ['user-agent', 'x'.repeat(5000), 'longer than'],
];

describe('normaliseIndicator', () => {
  it.each(valid)('%s %j → %j', (type, raw, canonical) => {
    expect(normaliseIndicator(type, raw)).toEqual({ value: canonical });
  });

  it.each(invalid)('%s %j: %s', (type, raw, message) => {
    const result = normaliseIndicator(type, raw);
    expect('error' in result && result.error).toContain(message);
  });

  it('is idempotent on every canonical value', () => {
    for (const [type, , canonical] of valid) expect(normaliseIndicator(type, canonical)).toEqual({ value: canonical });
  });

  it('refuses junk types and values without throwing', () => {
    expect(normaliseIndicator('nonsense' as IndicatorType, 'x')).toEqual({ error: 'unknown indicator type "nonsense"' });
    expect(normaliseIndicator('domain', 42 as unknown as string)).toEqual({ error: 'the value must be a string, not number' });
  });
});

describe('normalisePercentEncoding (RFC 3986 §6.2.2)', () => {
  it.each([
    ['/a%41%2D%2e%5F%7E', '/aA-._~'],
    ['/%2f%3a%c4%91', '/%2F%3A%C4%91'],
    ['/%zz%4', '/%zz%4'],
    ['/%', '/%'],
    ['/plain', '/plain'],
  ])('%s → %s', (input, output) => {
    expect(normalisePercentEncoding(input)).toBe(output);
  });
});

describe('canonicalHostName', () => {
  it.each([
    ['evil.vn', 'evil.vn'],
    ['EVIL.vn.', 'evil.vn'],
    ['tênmiền.VN', 'xn--tnmin-hsa0954c.vn'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(canonicalHostName(input)).toBe(output);
  });

  it('returns the same string when it is already canonical (no allocation)', () => {
    const name = ['evil', 'vn'].join('.');
    expect(canonicalHostName(name)).toBe(name);
  });
});
