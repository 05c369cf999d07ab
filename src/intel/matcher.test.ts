import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { IndicatorMatcher, type MatchHit } from './matcher.js';
import type { Indicator, IndicatorType } from './model.js';
import { buildWarningLists } from './warning-lists.js';

let counter = 0;
function indicator(type: IndicatorType, value: string, overrides: Partial<Indicator> = {}): Indicator {
  counter++;
  return {
    id: `ind_${type}_${counter}`,
    type,
    value,
    source: 'analyst:usr_test',
    confidence: 80,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-03-01T00:00:00.000Z',
    validUntil: null,
    killChain: [],
    attack: [],
    labels: [],
    description: null,
    tlp: 'amber',
    ownerOrgId: 'org_root',
    sharedWith: [],
    stixId: null,
    revoked: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function event(fields: Record<string, unknown>, timestamp = '2026-03-02T08:00:00.000Z'): EcsEvent {
  return { '@timestamp': timestamp, event: { kind: 'event' }, ...fields } as EcsEvent;
}

const brief = (hits: MatchHit[]): string[] => hits.map((h) => `${h.field}=${h.value}→${h.indicator.value}`).sort();

describe('IndicatorMatcher: what each field matches', () => {
  const matcher = new IndicatorMatcher([
    indicator('ipv4', '198.51.100.7'),
    indicator('ipv4', '192.0.2.200'),
    indicator('ipv6', '2001:db8::bad'),
    indicator('ipv6', '::ffff:203.0.113.9'),
    indicator('cidr', '203.0.113.0/24'),
    indicator('cidr', '203.0.113.128/25'),
    indicator('cidr', '2001:db8:ff::/48'),
    indicator('cidr', '::ffff:198.18.0.0/111'),
    indicator('domain', 'evil.vn'),
    indicator('domain', 'b.evil.vn'),
    indicator('domain', 'xn--tnmin-hsa0954c.vn'),
    indicator('url', 'http://phish.example.vn/login?next=%2Fhome'),
    indicator('md5', '44d88612fea8a8f36de82e1278abb02f'),
    indicator('sha1', '3395856ce81f2b7382dee72602f798b642f14140'),
    indicator('sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'),
    indicator('email', 'Boss@phish.example.vn'),
    indicator('ja3', '72a589da586844d7f0818ce684948eea'),
    indicator('ja4', 't13d1516h2_8daaf6152771_b186095e22b6'),
    indicator('user-agent', 'sqlmap/1.8.11#stable (https://sqlmap.org)'),
  ]);
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['source.ip', { source: { ip: '198.51.100.7' } }, ['source.ip=198.51.100.7→198.51.100.7']],
    ['destination.ip, zero-padded', { destination: { ip: '198.051.100.007' } }, ['destination.ip=198.051.100.007→198.51.100.7']],
    ['client.ip and server.ip', { client: { ip: '192.0.2.200' }, server: { ip: '198.51.100.7' } }, ['client.ip=192.0.2.200→192.0.2.200', 'server.ip=198.51.100.7→198.51.100.7']],
    ['related.ip array', { related: { ip: ['10.9.9.9', 42, null, '198.51.100.7'] } }, ['related.ip=198.51.100.7→198.51.100.7']],
    ['host.ip array', { host: { ip: ['192.0.2.200'] } }, ['host.ip=192.0.2.200→192.0.2.200']],
    ['source.address as IP', { source: { address: '192.0.2.200' } }, ['source.address=192.0.2.200→192.0.2.200']],
    ['source.address as name', { source: { address: 'www.evil.vn' } }, ['source.address=www.evil.vn→evil.vn']],
    ['IPv6 in a non-canonical form', { source: { ip: '2001:DB8:0:0:0:0:0:BAD' } }, ['source.ip=2001:db8::bad→2001:db8::bad']],
    ['IPv4-mapped event address, IPv4 indicator', { source: { ip: '::ffff:198.51.100.7' } }, ['source.ip=::ffff:198.51.100.7→198.51.100.7']],
    ['IPv4 event address, IPv4-mapped indicator', { source: { ip: '203.0.113.9' } }, ['source.ip=203.0.113.9→203.0.113.0/24', 'source.ip=203.0.113.9→::ffff:203.0.113.9']],
    ['every covering CIDR', { destination: { ip: '203.0.113.200' } }, ['destination.ip=203.0.113.200→203.0.113.0/24', 'destination.ip=203.0.113.200→203.0.113.128/25']],
    ['IPv6 CIDR', { destination: { ip: '2001:db8:ff:1::1' } }, ['destination.ip=2001:db8:ff:1::1→2001:db8:ff::/48']],
    ['IPv4 CIDR written as mapped IPv6', { destination: { ip: '198.19.1.1' } }, ['destination.ip=198.19.1.1→::ffff:198.18.0.0/111']],
    ['url.domain and its parents', { url: { domain: 'A.B.Evil.VN.' } }, ['url.domain=a.b.evil.vn→b.evil.vn', 'url.domain=a.b.evil.vn→evil.vn']],
    ['the domain itself', { destination: { domain: 'evil.vn' } }, ['destination.domain=evil.vn→evil.vn']],
    ['not a lookalike', { destination: { domain: 'notevil.vn' } }, []],
    ['IDN domain', { dns: { question: { name: 'www.tênmiền.vn' } } }, ['dns.question.name=www.xn--tnmin-hsa0954c.vn→xn--tnmin-hsa0954c.vn']],
    ['SNI', { tls: { client: { server_name: 'cdn.b.evil.vn' } } }, ['tls.client.server_name=cdn.b.evil.vn→b.evil.vn', 'tls.client.server_name=cdn.b.evil.vn→evil.vn']],
    ['server.domain and related.hosts', { server: { domain: 'x.evil.vn' }, related: { hosts: ['safe.vn', 'y.b.evil.vn'] } }, ['related.hosts=y.b.evil.vn→b.evil.vn', 'server.domain=x.evil.vn→evil.vn']],
    ['url.domain as an IP literal', { url: { domain: '192.0.2.200' } }, ['url.domain=192.0.2.200→192.0.2.200']],
    ['url.original, another spelling', { url: { original: 'HTTP://Phish.Example.VN:80/login?next=%2fhome#top' } }, ['url.original=http://phish.example.vn/login?next=%2Fhome→http://phish.example.vn/login?next=%2Fhome']],
    ['url.full, other path: no URL hit', { url: { full: 'http://phish.example.vn/other' } }, []],
    ['the URL host as a domain', { url: { original: 'https://login.evil.vn/x' } }, ['url.original=login.evil.vn→evil.vn']],
    ['the URL host as an IP', { url: { original: 'http://192.0.2.200:8080/x' } }, ['url.original=192.0.2.200→192.0.2.200']],
    ['an IPv6 URL host', { url: { original: 'http://[2001:db8::bad]/x' } }, ['url.original=2001:db8::bad→2001:db8::bad']],
    ['a relative url.original', { url: { original: '/login?next=%2Fhome' } }, []],
    ['url.original on the url.domain host', { url: { domain: 'phish.example.vn', original: 'http://phish.example.vn/login?next=%2Fhome' } }, ['url.original=http://phish.example.vn/login?next=%2Fhome→http://phish.example.vn/login?next=%2Fhome']],
    ['userinfo that looks like url.domain', { url: { domain: 'benign.vn', original: 'http://benign.vn:x@login.evil.vn/' } }, ['url.original=login.evil.vn→evil.vn']],
    ['the domain in the path is not the host', { url: { domain: 'benign.vn', original: 'http://benign.vn/@login.evil.vn' } }, []],
    ['file hashes, upper-case', { file: { hash: { md5: '44D88612FEA8A8F36DE82E1278ABB02F', sha1: '3395856ce81f2b7382dee72602f798b642f14140', sha256: '275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F' } } }, [
      'file.hash.md5=44d88612fea8a8f36de82e1278abb02f→44d88612fea8a8f36de82e1278abb02f',
      'file.hash.sha1=3395856ce81f2b7382dee72602f798b642f14140→3395856ce81f2b7382dee72602f798b642f14140',
      'file.hash.sha256=275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f→275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    ]],
    ['process.hash', { process: { hash: { sha1: '3395856ce81f2b7382dee72602f798b642f14140' } } }, ['process.hash.sha1=3395856ce81f2b7382dee72602f798b642f14140→3395856ce81f2b7382dee72602f798b642f14140']],
    ['related.hash by length', { related: { hash: ['44d88612fea8a8f36de82e1278abb02f', '72a589da586844d7f0818ce684948eea'] } }, [
      'related.hash=44d88612fea8a8f36de82e1278abb02f→44d88612fea8a8f36de82e1278abb02f',
      'related.hash=72a589da586844d7f0818ce684948eea→72a589da586844d7f0818ce684948eea',
    ]],
    ['e-mail, domain case-folded', { email: { from: { address: ['Boss@PHISH.example.vn'] } } }, ['email.from.address=Boss@phish.example.vn→Boss@phish.example.vn']],
    ['e-mail local part is case-sensitive', { user: { email: 'boss@phish.example.vn' } }, []],
    ['e-mail to and source.user.email', { email: { to: { address: ['a@b.vn', 'Boss@phish.example.vn'] } }, source: { user: { email: 'Boss@phish.example.vn' } } }, ['source.user.email=Boss@phish.example.vn→Boss@phish.example.vn']],
    ['JA3 and JA4', { tls: { client: { ja3: '72A589DA586844D7F0818CE684948EEA', ja4: 't13d1516h2_8daaf6152771_b186095e22b6' } } }, [
      'tls.client.ja3=72a589da586844d7f0818ce684948eea→72a589da586844d7f0818ce684948eea',
      'tls.client.ja4=t13d1516h2_8daaf6152771_b186095e22b6→t13d1516h2_8daaf6152771_b186095e22b6',
    ]],
    ['user-agent, trimmed', { user_agent: { original: ' sqlmap/1.8.11#stable (https://sqlmap.org) ' } }, ['user_agent.original=sqlmap/1.8.11#stable (https://sqlmap.org)→sqlmap/1.8.11#stable (https://sqlmap.org)']],
    ['user-agent, other case', { user_agent: { original: 'SQLMAP/1.8.11#stable (https://sqlmap.org)' } }, []],
  ];
  it.each(cases)('%s', (_name, fields, expected) => {
    expect(brief(matcher.match(event(fields)))).toEqual(expected.sort());
  });

  it('reports an indicator once, on the first field in order', () => {
    const hits = matcher.match(event({ related: { ip: ['198.51.100.7'] }, source: { ip: '198.51.100.7' }, destination: { ip: '198.51.100.7' } }));
    expect(hits.map((h) => h.field)).toEqual(['source.ip']);
  });

  it('returns a fresh empty array when nothing matches', () => {
    const a = matcher.match(event({ source: { ip: '10.1.1.1' } }));
    expect(a).toEqual([]);
    a.push({} as MatchHit);
    expect(matcher.match(event({ source: { ip: '10.1.1.1' } }))).toEqual([]);
  });
});

describe('IndicatorMatcher: time, revocation, decay', () => {
  it('stops matching after validUntil, judged at the event time', () => {
    const matcher = new IndicatorMatcher([indicator('ipv4', '192.0.2.1', { validUntil: '2026-03-10T00:00:00.000Z' })], { now: () => Date.parse('2030-01-01T00:00:00Z') });
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }, '2026-03-09T23:59:59.000Z'))).toHaveLength(1);
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }, '2026-03-10T00:00:00.000Z'))).toHaveLength(1);
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }, '2026-03-10T00:00:00.001Z'))).toHaveLength(0);
    // no usable @timestamp: the clock decides (2030: expired)
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }, 'garbage'))).toHaveLength(0);
    expect(matcher.counters.expired).toBe(2);
  });

  it('does not index revoked indicators, and revoking removes', () => {
    const live = indicator('domain', 'evil.vn');
    const matcher = new IndicatorMatcher([live]);
    expect(matcher.add(indicator('domain', 'other.vn', { revoked: true }))).toEqual({ revoked: true });
    expect(matcher.match(event({ url: { domain: 'other.vn' } }))).toHaveLength(0);
    expect(matcher.add({ ...live, revoked: true })).toEqual({ revoked: true });
    expect(matcher.has(live.id)).toBe(false);
    expect(matcher.match(event({ url: { domain: 'evil.vn' } }))).toHaveLength(0);
  });

  it('decays: an IP unseen for long stops matching, a hash does not', () => {
    const old = { confidence: 60, lastSeen: '2025-01-01T00:00:00.000Z' };
    const matcher = new IndicatorMatcher([indicator('ipv4', '192.0.2.1', old), indicator('sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', old)]);
    // 60 → 15 (the floor) after two 30-day half-lives
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }, '2025-03-01T00:00:00.000Z'))).toHaveLength(1);
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }, '2025-03-03T00:00:00.000Z'))).toHaveLength(0);
    expect(matcher.match(event({ file: { hash: { sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' } } }, '2030-01-01T00:00:00.000Z'))).toHaveLength(1);
  });
});

describe('IndicatorMatcher: warning lists', () => {
  const warnings = buildWarningLists([{ name: 'gov-vn-own', description: 'ours', domains: ['*.gov.vn'] }]);

  it('refuses warning-listed indicators and says which list', () => {
    const matcher = new IndicatorMatcher([], { warnings });
    expect(matcher.add(indicator('ipv4', '8.8.8.8'))).toEqual({ warned: 'public-dns-resolvers' });
    expect(matcher.add(indicator('cidr', '10.0.0.0/16'))).toEqual({ warned: 'private-and-reserved' });
    expect(matcher.add(indicator('domain', 'hanoi.gov.vn'))).toEqual({ warned: 'gov-vn-own' });
    expect(matcher.add(indicator('domain', 'com.vn'))).toEqual({ warned: 'public-suffixes' });
    expect(matcher.add(indicator('url', 'https://dichvucong.gov.vn/x'))).toEqual({ warned: 'gov-vn-own' });
    expect(matcher.add(indicator('md5', 'd41d8cd98f00b204e9800998ecf8427e'))).toEqual({ warned: 'empty-file-hashes' });
    expect(matcher.size).toBe(0);
    const summary = matcher.addAll([indicator('ipv4', '1.1.1.1'), indicator('ipv4', '192.0.2.1')]);
    expect(summary.added).toBe(1);
    expect(summary.warned.map((w) => w.list)).toEqual(['public-dns-resolvers']);
  });

  it('drops hits whose event value is listed, keeps the rest of the range', () => {
    const matcher = new IndicatorMatcher([indicator('cidr', '8.8.0.0/16'), indicator('domain', 'evil.com.vn'), indicator('cidr', '0.0.0.0/0')], { warnings });
    expect(brief(matcher.match(event({ destination: { ip: '8.8.8.8' } })))).toEqual([]);
    expect(brief(matcher.match(event({ destination: { ip: '8.8.1.1' } })))).toEqual(['destination.ip=8.8.1.1→0.0.0.0/0', 'destination.ip=8.8.1.1→8.8.0.0/16']);
    expect(brief(matcher.match(event({ source: { ip: '8.8.8.8' }, destination: { ip: '8.8.1.1' } })))).toHaveLength(2);
    expect(brief(matcher.match(event({ url: { domain: 'x.evil.com.vn' } })))).toEqual(['url.domain=x.evil.com.vn→evil.com.vn']);
    expect(matcher.match(event({ source: { ip: '192.168.1.1' } }))).toEqual([]);
    expect(matcher.counters.suppressed).toBeGreaterThanOrEqual(4);
  });
});

describe('IndicatorMatcher: incremental updates', () => {
  it('adds, replaces by id and removes without touching the rest', () => {
    const a = indicator('ipv4', '192.0.2.1');
    const b = indicator('ipv4', '192.0.2.1', { source: 'misp:circl' });
    const matcher = new IndicatorMatcher([a, b]);
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } })).map((h) => h.indicator.id).sort()).toEqual([a.id, b.id].sort());
    expect(matcher.remove(a.id)).toBe(true);
    expect(matcher.remove(a.id)).toBe(false);
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } })).map((h) => h.indicator.id)).toEqual([b.id]);
    // same id, new value: the old value no longer matches
    expect(matcher.add({ ...b, value: '192.0.2.2' })).toEqual({ added: true });
    expect(matcher.match(event({ source: { ip: '192.0.2.1' } }))).toEqual([]);
    expect(matcher.match(event({ source: { ip: '192.0.2.2' } }))).toHaveLength(1);
    expect(matcher.size).toBe(1);
  });

  it('keeps URL matching for a host while another URL on it remains', () => {
    const first = indicator('url', 'http://evil.vn/a');
    const second = indicator('url', 'http://evil.vn/b');
    const matcher = new IndicatorMatcher([first, second]);
    matcher.remove(first.id);
    expect(brief(matcher.match(event({ url: { original: 'http://evil.vn/b' } })))).toEqual(['url.original=http://evil.vn/b→http://evil.vn/b']);
    matcher.remove(second.id);
    expect(matcher.match(event({ url: { original: 'http://evil.vn/b' } }))).toEqual([]);
  });

  it('removes CIDR ranges, grouped ones too', () => {
    const one = indicator('cidr', '203.0.113.0/24');
    const two = indicator('cidr', '203.0.113.0/24', { source: 'misp:x' });
    const six = indicator('cidr', '2001:db8::/32');
    const matcher = new IndicatorMatcher([one, two, six]);
    expect(matcher.match(event({ source: { ip: '203.0.113.5' } }))).toHaveLength(2);
    matcher.remove(one.id);
    expect(matcher.match(event({ source: { ip: '203.0.113.5' } })).map((h) => h.indicator.id)).toEqual([two.id]);
    matcher.remove(two.id);
    matcher.remove(six.id);
    expect(matcher.match(event({ source: { ip: '203.0.113.5' }, destination: { ip: '2001:db8::1' } }))).toEqual([]);
  });

  it('replaceAll swaps the whole set and reports refusals', () => {
    const matcher = new IndicatorMatcher([indicator('domain', 'old.vn')]);
    const summary = matcher.replaceAll([indicator('domain', 'new.vn'), indicator('domain', 'not a domain'), indicator('ipv4', '192.0.2.9', { validUntil: 'soon' }), indicator('domain', 'gone.vn', { revoked: true })]);
    expect(summary.added).toBe(1);
    expect(summary.revoked).toBe(1);
    expect(summary.errors.map((e) => e.error)).toEqual(['"not a domain" is not a bare domain name (a URL, address or e-mail? use that type)', 'validUntil "soon" is not a timestamp']);
    expect(matcher.match(event({ url: { domain: 'old.vn' } }))).toEqual([]);
    expect(matcher.match(event({ url: { domain: 'new.vn' } }))).toHaveLength(1);
  });

  it('with `resolve`, keeps no indicator objects and asks on a hit', () => {
    const stored = new Map<string, Indicator>();
    const kept = indicator('domain', 'evil.vn');
    const dropped = indicator('ipv4', '192.0.2.1');
    for (const i of [kept, dropped]) stored.set(i.id, i);
    const asked: string[] = [];
    const matcher = new IndicatorMatcher([kept, dropped], { resolve: (id) => (asked.push(id), stored.get(id)) });
    stored.delete(dropped.id);
    const hits = matcher.match(event({ url: { domain: 'a.evil.vn' }, source: { ip: '192.0.2.1' } }));
    expect(hits.map((h) => h.indicator)).toEqual([kept]);
    expect(asked.sort()).toEqual([kept.id, dropped.id].sort());
    expect(matcher.counters.unresolved).toBe(1);
    expect(matcher.remove(kept.id)).toBe(true);
    expect(matcher.match(event({ url: { domain: 'a.evil.vn' } }))).toEqual([]);
  });

  it('normalises a non-canonical value on the way in', () => {
    const matcher = new IndicatorMatcher([indicator('domain', 'EVIL.VN.'), indicator('ipv6', '2001:DB8:0::1')]);
    expect(matcher.match(event({ url: { domain: 'evil.vn' }, source: { ip: '2001:db8::1' } }))).toHaveLength(2);
  });
});

describe('IndicatorMatcher: hostile events', () => {
  const matcher = new IndicatorMatcher([indicator('ipv4', '192.0.2.1'), indicator('domain', 'evil.vn'), indicator('url', 'http://evil.vn/x'), indicator('md5', '44d88612fea8a8f36de82e1278abb02f'), indicator('email', 'a@evil.vn'), indicator('user-agent', 'x')]);
  const throwing = event({});
  Object.defineProperty(throwing, 'url', { enumerable: true, get: () => { throw new Error('boom'); } });
  const deep: Record<string, unknown> = {};
  let node = deep;
  for (let i = 0; i < 10_000; i++) node = (node['source'] = {}) as Record<string, unknown>;
  const shapes: [string, unknown][] = [
    ['numbers', { source: { ip: 3221225985 }, url: { domain: 42, original: 7 }, file: { hash: { md5: 1e300 } } }],
    ['objects where strings go', { source: { ip: { ip: '192.0.2.1' } }, url: { domain: { x: 'evil.vn' } } }],
    ['nested arrays', { related: { ip: [['192.0.2.1']], hosts: [[['evil.vn']]] } }],
    ['arrays at the top', { source: ['192.0.2.1'], url: ['http://evil.vn/x'] }],
    ['strings at the top', { source: '192.0.2.1', url: 'evil.vn' }],
    ['nulls', { source: null, url: { domain: null }, related: { ip: [null] } }],
    ['a huge array', { related: { ip: new Array(1_000_000).fill('10.0.0.1') } }],
    ['a huge string', { url: { domain: `${'a.'.repeat(500_000)}vn`, original: `http://${'a'.repeat(1_000_000)}.vn/` }, user_agent: { original: 'x'.repeat(1_000_000) } }],
    ['broken text', { url: { domain: '\u0000\ud800.vn', original: 'http://\ud800/' }, email: { from: { address: '@' } }, source: { ip: ':::' } }],
    ['deep nesting', deep],
    ['a throwing getter', throwing],
    ['no @timestamp', { event: {}, source: { ip: '192.0.2.1' } }],
  ];
  it.each(shapes)('%s: never throws', (_name, shape) => {
    expect(() => matcher.match(shape as EcsEvent)).not.toThrow();
  });

  it('still finds what is valid next to junk, and survives non-objects', () => {
    expect(brief(matcher.match(event({ related: { ip: [{}, 5, '192.0.2.1'] }, url: { domain: 7 } })))).toEqual(['related.ip=192.0.2.1→192.0.2.1']);
    expect(matcher.match(null as unknown as EcsEvent)).toEqual([]);
    expect(matcher.match('event' as unknown as EcsEvent)).toEqual([]);
  });

  it('ignores its walk callback outside match', () => {
    matcher.visit(0, 'source.ip', '192.0.2.1');
    expect(matcher.match(event({ destination: { ip: '10.0.0.1' } }))).toEqual([]);
  });

  it('reads at most 64 items of an array', () => {
    const ips = new Array(100).fill('10.0.0.1');
    ips[80] = '192.0.2.1';
    expect(matcher.match(event({ related: { ip: ips } }))).toEqual([]);
  });
});
