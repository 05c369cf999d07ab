import { describe, expect, it } from 'vitest';
import { VigilError } from '../../core/errors.js';
import { indicatorTypes } from '../model.js';
import type { IndicatorType } from '../model.js';
import { formatAddress, isSubnetOf, parseNetwork } from './address.js';
import { normaliseIndicator } from '../normalise.js';
import { parsePattern } from './pattern.js';
import { patternFor, simpleIndicators } from './simple.js';
import type { SimpleIndicator } from './simple.js';

function simple(text: string): SimpleIndicator[] | null {
  const r = parsePattern(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return simpleIndicators(r.pattern);
}

describe('simpleIndicators', () => {
  it.each<[string, SimpleIndicator[]]>([
    ["[ipv4-addr:value = '203.0.113.7' OR ipv4-addr:value = '198.51.100.0/24']", [{ type: 'ipv4', value: '203.0.113.7' }, { type: 'cidr', value: '198.51.100.0/24' }]],
    ["[ipv4-addr:value = '198.51.100.1/32']", [{ type: 'ipv4', value: '198.51.100.1' }]],
    ["[ipv4-addr:value = '198.51.100.77/24']", [{ type: 'cidr', value: '198.51.100.0/24' }]],
    ["[ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']", [{ type: 'ipv6', value: '2001:db8:dead:beef:dead:beef:dead:1' }]],
    ["[ipv6-addr:value = '2001:DB8::/32']", [{ type: 'cidr', value: '2001:db8::/32' }]],
    ["[domain-name:value = 'Evil.VN.']", [{ type: 'domain', value: 'evil.vn' }]],
    ["[url:value = 'HTTP://Evil.VN/Path?Q=1']", [{ type: 'url', value: 'http://evil.vn/Path?Q=1' }]],
    ["[file:hashes.MD5 = 'CEAD3F77F6CDA6EC00F57D76C9A6879F']", [{ type: 'md5', value: 'cead3f77f6cda6ec00f57d76c9a6879f' }]],
    ["[file:hashes.'SHA-1' = '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed']", [{ type: 'sha1', value: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed' }]],
    ["[file:hashes.SHA256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", [{ type: 'sha256', value: 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' }]],
    ["[email-addr:value = 'Phish@Evil.vn']", [{ type: 'email', value: 'Phish@evil.vn' }]], // RFC 5321: the local part keeps its case
    ["[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'sqlmap/1.7']", [{ type: 'user-agent', value: 'sqlmap/1.7' }]],
    ["[network-traffic:extensions.'x-vigil-tls-ext'.ja3 = 'E7D705A3286E19EA42F587B344EE6865']", [{ type: 'ja3', value: 'e7d705a3286e19ea42f587b344ee6865' }]],
    ["[domain-name:value IN ('a.vn', 'b.vn') OR url:value = 'http://c.vn/']", [{ type: 'domain', value: 'a.vn' }, { type: 'domain', value: 'b.vn' }, { type: 'url', value: 'http://c.vn/' }]],
    ["[domain-name:value = 'a.vn' OR domain-name:value = 'A.vn']", [{ type: 'domain', value: 'a.vn' }]],
  ])('%s', (pattern, expected) => {
    expect(simple(pattern)).toEqual(expected);
  });

  it.each([
    "[ipv4-addr:value = '203.0.113.7'] OR [ipv4-addr:value = '203.0.113.8']", // two observations
    "[ipv4-addr:value = '203.0.113.7'] REPEATS 2 TIMES", // a qualifier
    "[ipv4-addr:value = '203.0.113.7'] WITHIN 60 SECONDS",
    "[domain-name:value = 'a.vn' AND domain-name:value = 'b.vn']", // AND
    "[ipv4-addr:value != '203.0.113.7']",
    "[ipv4-addr:value NOT = '203.0.113.7']",
    "[ipv4-addr:value ISSUBSET '203.0.113.0/24']",
    "[domain-name:value LIKE '%.evil.vn']",
    "[file:name = 'evil.exe']", // no indicator type
    "[file:hashes.'SHA-512' = 'ab']",
    "[file:hashes.MD5 = 'not-a-hash']", // malformed values go to the evaluator, which compares them exactly
    "[ipv4-addr:value = '2001:db8::1']", // wrong address family
    "[network-traffic:extensions.'other-ext'.ja3 = 'e7d705a3286e19ea42f587b344ee6865']",
    "[x-custom:value = 'a']",
    '[file:size = 12]',
    "[url:value = 'http://a.vn/' OR file:name = 'x']", // one part is not an indicator
    "[domain-name:resolves_to_refs[0].value = '1.2.3.4']",
  ])('leaves %s to the evaluator', (pattern) => {
    expect(simple(pattern)).toBeNull();
  });

  it('takes pattern text too, and gives null for text that does not parse', () => {
    expect(simpleIndicators("[domain-name:value = 'evil.vn']")).toEqual([{ type: 'domain', value: 'evil.vn' }]);
    expect(simpleIndicators("[domain-name:value = 'evil.vn'")).toBeNull();
  });
});

describe('patternFor', () => {
  it.each<[IndicatorType, string, string]>([
    ['ipv4', '203.0.113.7', "[ipv4-addr:value = '203.0.113.7']"],
    ['ipv6', '2001:0DB8::0001', "[ipv6-addr:value = '2001:db8::1']"],
    ['cidr', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['cidr', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'Evil.VN', "[domain-name:value = 'evil.vn']"],
    ['url', "http://evil.vn/it's", String.raw`[url:value = 'http://evil.vn/it\'s']`],
    ['user-agent', "a\\b'c", String.raw`[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'a\\b\'c']`],
    ['md5', 'cead3f77f6cda6ec00f57d76c9a6879f', "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']"],
    ['sha1', '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed', "[file:hashes.'SHA-1' = '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed']"],
    ['sha256', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']"],
    ['email', 'phish@evil.vn', "[email-addr:value = 'phish@evil.vn']"],
    ['user-agent', "Mozilla/5.0 (it's)", String.raw`[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 (it\'s)']`],
    ['ja3', 'e7d705a3286e19ea42f587b344ee6865', "[network-traffic:extensions.'x-vigil-tls-ext'.ja3 = 'e7d705a3286e19ea42f587b344ee6865']"],
    ['ja4', 't13d1516h2_8daaf6152771_b186095e22b6', "[network-traffic:extensions.'x-vigil-tls-ext'.ja4 = 't13d1516h2_8daaf6152771_b186095e22b6']"],
  ])('%s %s → %s', (type, value, expected) => {
    expect(patternFor(type, value)).toBe(expected);
  });

  const samples: Record<IndicatorType, string> = {
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
    cidr: '10.0.0.0/8',
    domain: 'xn--bcher-kva.vn',
    url: "https://gov.vn/a?b='c'&d=\\e",
    md5: 'cead3f77f6cda6ec00f57d76c9a6879f',
    sha1: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
    sha256: 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
    email: 'a.b@c.vn',
    ja3: 'e7d705a3286e19ea42f587b344ee6865',
    ja4: 't13d1516h2_8daaf6152771_b186095e22b6',
    'user-agent': "curl/8.0 'quoted' \\ back",
  };
  it.each(indicatorTypes.map((t) => [t, samples[t]] as const))('round-trips %s %s through a pattern', (type, value) => {
    const canonical = normaliseIndicator(type, value);
    expect(simple(patternFor(type, value))).toEqual([{ type, value: 'value' in canonical ? canonical.value : null }]);
  });

  it('refuses a value that is not of its type', () => {
    expect(() => patternFor('ipv4', 'evil.vn')).toThrow(VigilError);
    expect(() => patternFor('sha256', 'abc')).toThrow(/not a valid sha256 indicator: a SHA-256 hash has 64 hex digits/);
  });
});

describe('addresses', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // RFC 5952 §4.2.3: the first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group stays
    ['::', '::'],
    ['::1', '::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
  ])('formats %s as %s', (input, output) => {
    const net = parseNetwork(input);
    expect(net && formatAddress(net.bytes)).toBe(output);
  });

  it('compares blocks as sets, IPv4-mapped addresses included', () => {
    const [a, b, c] = ['192.0.2.0/25', '192.0.2.0/24', '::ffff:192.0.2.5'].map(parseNetwork);
    if (!a || !b || !c) throw new Error('parse');
    expect(isSubnetOf(a, b)).toBe(true);
    expect(isSubnetOf(b, a)).toBe(false);
    expect(isSubnetOf(c, a)).toBe(true);
    expect(parseNetwork('192.0.2.0/33')).toBeNull();
    expect(parseNetwork('1.2.3.4/8/9')).toBeNull();
  });
});
