import { describe, expect, it } from 'vitest';
import { confidenceOf, indicatorsFromMispEvent, mispEventsOf, observablesOf } from './misp.js';

/** A made-up event in the MISP core format (draft-dulaunoy-misp-core-format §2.2). */
function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: '0b6f3c9e-1111-4a5b-9c0d-000000000001',
    info: 'Phishing wave against provincial portals',
    date: '2026-10-20',
    timestamp: '1793000000',
    published: true,
    threat_level_id: '1',
    analysis: '2',
    Orgc: { name: 'CERT-Example' },
    Tag: [{ name: 'tlp:green' }, { name: 'PAP:AMBER' }, { name: 'misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"' }, { name: 'campaign:lotus' }],
    Attribute: [
      { uuid: 'a0000000-0000-4000-8000-000000000001', type: 'ip-dst', value: '203.0.113.7', to_ids: true, timestamp: '1793000100', comment: 'C2' },
      { uuid: 'a0000000-0000-4000-8000-000000000002', type: 'ip-src|port', value: '198.51.100.9|4444', to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000003', type: 'ip-dst', value: '192.0.2.0/24', to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000004', type: 'domain|ip', value: 'Evil.Example.vn|2001:db8::1', to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000005', type: 'filename|sha256', value: `invoice.exe|${'AB'.repeat(32)}`, to_ids: true, timestamp: '1793000100', Tag: [{ name: 'tlp:red' }] },
      { uuid: 'a0000000-0000-4000-8000-000000000006', type: 'uri', value: '/gate.php', to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000007', type: 'hostname', value: 'mail.bad.example', to_ids: false, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000008', type: 'x509-fingerprint-sha1', value: 'a'.repeat(40), to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000009', type: 'regkey', value: 'HKLM\\Software\\x', to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000010', type: 'url', value: 'http://EVIL.example.vn/a/../login', to_ids: true, first_seen: '2026-10-01T10:00:00.123456+07:00', last_seen: '2026-10-20T00:00:00Z', Tag: [{ name: 'tlp:clear' }] },
      { uuid: 'a0000000-0000-4000-8000-000000000011', type: 'ja3-fingerprint-md5', value: 'E7D705A3286E19EA42F587B344EE6865', to_ids: '1', timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000012', type: 'ip-dst', value: '010.0.0.1', to_ids: true, timestamp: '1793000100' },
      { uuid: 'a0000000-0000-4000-8000-000000000013', type: 'email-src', value: 'Boss@Example.VN', to_ids: true, timestamp: '1793000100', deleted: true },
    ],
    Object: [
      {
        name: 'file',
        'meta-category': 'file',
        Attribute: [
          { uuid: 'b0000000-0000-4000-8000-000000000001', type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', to_ids: true, timestamp: '1793000200', comment: 'dropper', Sighting: [{ type: '0', date_sighting: '1793001000' }] },
          { uuid: 'b0000000-0000-4000-8000-000000000002', type: 'filename', value: 'invoice.exe', to_ids: false, timestamp: '1793000200' },
        ],
      },
    ],
    Sighting: [
      { type: '0', uuid: 'a0000000-0000-4000-8000-000000000001', date_sighting: '1793000500' },
      { type: '0', uuid: 'a0000000-0000-4000-8000-000000000001', date_sighting: '1793000900' },
      { type: '1', uuid: 'a0000000-0000-4000-8000-000000000001', date_sighting: '1793000950' },
      { type: '0', uuid: 'ffffffff-0000-4000-8000-000000000000', date_sighting: '1793000950' },
    ],
    ...overrides,
  };
}

describe('MISP event → indicators', () => {
  const result = indicatorsFromMispEvent(event());
  const find = (type: string, value: string) => result.indicators.find((i) => i.type === type && i.value === value);

  it('maps attribute types, composite types and CIDR values', () => {
    expect(result.indicators.map((i) => `${i.type} ${i.value}`).sort()).toEqual([
      'cidr 192.0.2.0/24',
      'domain evil.example.vn',
      'email Boss@example.vn',
      'ipv4 198.51.100.9',
      'ipv4 203.0.113.7',
      'ipv6 2001:db8::1',
      'ja3 e7d705a3286e19ea42f587b344ee6865',
      'md5 d41d8cd98f00b204e9800998ecf8427e',
      `sha256 ${'ab'.repeat(32)}`,
      'url http://evil.example.vn/login',
    ]);
  });

  it('counts what it skips, by reason and type, and reports invalid values with their place', () => {
    expect(result.skipped).toEqual({
      'uri-relative': 1,
      'not-to-ids': 2,
      'unsupported-type:x509-fingerprint-sha1': 1,
      'unsupported-type:regkey': 1,
      invalid: 1,
      'sighting-false-positive': 1,
      'sighting-unmatched': 1,
    });
    expect(result.errors).toEqual([{ where: 'event 0b6f3c9e-1111-4a5b-9c0d-000000000001 Attribute[11]', reason: expect.stringContaining('leading zero') }]);
  });

  it('takes TLP from the event, the stricter when the attribute has its own', () => {
    expect(find('ipv4', '203.0.113.7')?.tlp).toBe('green');
    expect(find('sha256', 'ab'.repeat(32))?.tlp).toBe('red');
    expect(find('url', 'http://evil.example.vn/login')?.tlp).toBe('green'); // clear cannot loosen green
    expect(indicatorsFromMispEvent(event({ Tag: [] })).indicators.find((i) => i.type === 'ipv4')?.tlp).toBe('amber');
    expect(indicatorsFromMispEvent(event({ Tag: [] }), { defaultTlp: 'green' }).indicators.find((i) => i.type === 'ipv4')?.tlp).toBe('green');
  });

  it('takes ATT&CK ids from galaxy tags and keeps PAP and other tags as labels', () => {
    const ip = find('ipv4', '203.0.113.7');
    expect(ip?.attack).toEqual(['T1190']);
    expect(ip?.labels).toEqual(['PAP:AMBER', 'campaign:lotus']);
    const galaxy = indicatorsFromMispEvent(event({ Tag: [], Galaxy: [{ GalaxyCluster: [{ tag_name: 'misp-galaxy:mitre-attack-pattern="Phishing - T1566.001"' }] }] }));
    expect(galaxy.indicators[0]?.attack).toEqual(['T1566.001']);
  });

  it('bounds labels', () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ name: `tag-${i}` }));
    expect(indicatorsFromMispEvent(event({ Tag: tags })).indicators[0]?.labels).toHaveLength(20);
  });

  it('derives confidence from analysis and threat level, unless told', () => {
    expect(find('ipv4', '203.0.113.7')?.confidence).toBe(90);
    expect(confidenceOf('0', '3')).toBe(30);
    expect(confidenceOf('1', '2')).toBe(60);
    expect(confidenceOf(undefined, undefined)).toBe(30);
    expect(indicatorsFromMispEvent(event(), { confidence: 55 }).indicators[0]?.confidence).toBe(55);
  });

  it('dates from first_seen/last_seen, else the attribute timestamp and the event date', () => {
    expect(find('url', 'http://evil.example.vn/login')).toMatchObject({ firstSeen: '2026-10-01T03:00:00.123Z', lastSeen: '2026-10-20T00:00:00.000Z' });
    expect(find('ipv4', '203.0.113.7')).toMatchObject({ firstSeen: '2026-10-20T00:00:00.000Z', lastSeen: new Date(1793000100 * 1000).toISOString() });
  });

  it('describes with the event info and the attribute comment, names the source, revokes deleted attributes', () => {
    expect(find('ipv4', '203.0.113.7')).toMatchObject({ description: 'Phishing wave against provincial portals — C2', source: 'misp:CERT-Example', revoked: false });
    expect(find('md5', 'd41d8cd98f00b204e9800998ecf8427e')?.description).toBe('Phishing wave against provincial portals — file object: dropper');
    expect(find('email', 'Boss@example.vn')?.revoked).toBe(true);
    expect(indicatorsFromMispEvent(event(), { source: 'misp:alliance' }).indicators[0]?.source).toBe('misp:alliance');
  });

  it('imports to_ids false attributes only when asked, labelled', () => {
    const all = indicatorsFromMispEvent(event(), { includeNonIds: true });
    expect(all.indicators.find((i) => i.value === 'mail.bad.example')?.labels).toContain('misp:non-ids');
    expect(all.skipped['not-to-ids']).toBeUndefined();
    expect(all.skipped['unsupported-type:filename']).toBe(1);
  });

  it('returns external sightings per value, with their count and latest date', () => {
    expect(result.sightings.sort((a, b) => a.value.localeCompare(b.value))).toEqual([
      { type: 'ipv4', value: '203.0.113.7', count: 2, dateSighting: new Date(1793000900 * 1000).toISOString() },
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', count: 1, dateSighting: new Date(1793001000 * 1000).toISOString() },
    ]);
  });
});

describe('MISP documents and attribute types', () => {
  it('finds events in {Event}, lists and restSearch responses, and nothing in other JSON', () => {
    expect(mispEventsOf({ Event: { uuid: 'x' } })).toHaveLength(1);
    expect(mispEventsOf([{ Event: {} }, { Event: {} }])).toHaveLength(2);
    expect(mispEventsOf({ response: [{ Event: {} }] })).toHaveLength(1);
    expect(mispEventsOf({ type: 'bundle' })).toBeNull();
    expect(mispEventsOf([1, 2])).toBeNull();
  });

  it.each([
    ['ip-dst|port', '203.0.113.1', 'invalid-composite'],
    ['domain|ip', 'evil.example', 'invalid-composite'],
    ['uri', 'gate.php?id=1', 'uri-relative'],
    ['x509-fingerprint-md5', 'a'.repeat(32), 'unsupported-type:x509-fingerprint-md5'],
    ['', 'x', 'unsupported-type:(none)'],
  ])('%s %s is skipped as %s', (type, value, reason) => {
    expect(observablesOf(type, value)).toEqual({ skip: reason });
  });

  it('reads an absolute uri as a URL and hostname|port as the host', () => {
    expect(observablesOf('uri', 'https://x.example/a')).toEqual({ values: [{ type: 'url', value: 'https://x.example/a' }] });
    expect(observablesOf('hostname|port', 'x.example|8080')).toEqual({ values: [{ type: 'domain', value: 'x.example' }] });
    expect(observablesOf('ip-src', '2001:db8::/32')).toEqual({ values: [{ type: 'cidr', value: '2001:db8::/32' }] });
  });
});
