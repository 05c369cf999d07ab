import { describe, expect, it } from 'vitest';
import { VigilError } from '../../core/errors.js';
import type { Indicator, Sighting } from '../model.js';
import { bundle, indicatorsFromStix, indicatorToStix, sightingToStix } from './convert.js';
import { identifierType, uuidV5, STIX_SCO_NAMESPACE } from './ids.js';
import { indicatorSchema, sightingSchema, validateBundle } from './objects.js';
import type { StixIndicator, StixObject } from './objects.js';
import { TLP1_MARKINGS, TLP2_EXTENSION_ID, TLP2_MARKINGS } from './tlp.js';

const CENTRE = 'identity--5b2d8a50-7d3a-4d8b-9b44-3a1d6f6a8c11';
const ALLIANCE = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';

function stixIndicator(overrides: Partial<StixIndicator> = {}): StixIndicator {
  return indicatorSchema.parse({
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created_by_ref: ALLIANCE,
    created: '2026-02-01T08:00:00.000Z',
    modified: '2026-02-03T08:00:00.000Z',
    name: 'C2 of the Lotus campaign',
    indicator_types: ['malicious-activity'],
    labels: ['lotus'],
    pattern: "[ipv4-addr:value = '203.0.113.7' OR ipv4-addr:value = '198.51.100.0/24' OR domain-name:value = 'C2.Evil.vn']",
    pattern_type: 'stix',
    valid_from: '2026-02-01T00:00:00Z',
    valid_until: '2026-05-01T00:00:00Z',
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'command-and-control' }],
    external_references: [
      { source_name: 'mitre-attack', external_id: 'T1071.001', url: 'https://attack.mitre.org/techniques/T1071/001/' },
      { source_name: 'vendor-report', url: 'https://example.com/lotus' },
    ],
    object_marking_refs: [TLP2_MARKINGS.amber.id, TLP1_MARKINGS.green.id],
    confidence: 80,
    ...overrides,
  });
}

const identity: StixObject = { type: 'identity', spec_version: '2.1', id: ALLIANCE, created: '2020-01-01T00:00:00.000Z', modified: '2020-01-01T00:00:00.000Z', name: 'ASEAN CERT alliance', identity_class: 'organization' };

describe('indicatorsFromStix', () => {
  it('makes one indicator per value of a simple pattern, with its context', () => {
    const drafts = indicatorsFromStix(stixIndicator(), { related: [identity] });
    expect(drafts.map((d) => [d.type, d.value])).toEqual([
      ['ipv4', '203.0.113.7'],
      ['cidr', '198.51.100.0/24'],
      ['domain', 'c2.evil.vn'],
    ]);
    expect(drafts[0]).toEqual({
      type: 'ipv4',
      value: '203.0.113.7',
      source: 'stix:ASEAN CERT alliance',
      confidence: 80,
      firstSeen: '2026-02-01T00:00:00.000Z',
      lastSeen: '2026-02-03T08:00:00.000Z',
      validUntil: '2026-05-01T00:00:00.000Z',
      killChain: ['lockheed-martin-cyber-kill-chain:command-and-control'],
      attack: ['T1071.001'],
      labels: ['lotus', 'malicious-activity'],
      description: 'C2 of the Lotus campaign',
      tlp: 'amber', // the strictest of TLP 2.0 AMBER and TLP 1.0 GREEN
      stixId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      revoked: false,
    });
  });

  it('applies the caller defaults where STIX is silent', () => {
    const bare = stixIndicator({ confidence: undefined, object_marking_refs: undefined, created_by_ref: undefined, description: 'described' });
    const [draft] = indicatorsFromStix(bare, { source: 'taxii:alliance-a/collection-x', defaultTlp: 'green', defaultConfidence: 30 });
    expect(draft).toMatchObject({ source: 'taxii:alliance-a/collection-x', confidence: 30, tlp: 'green', description: 'described' });
    expect(indicatorsFromStix(bare)[0]).toMatchObject({ source: 'stix:unknown', confidence: 50, tlp: 'amber' });
  });

  it('maps TLP 1.0 WHITE to CLEAR and reads bundle-local TLP markings', () => {
    expect(indicatorsFromStix(stixIndicator({ object_marking_refs: [TLP1_MARKINGS.white.id] }))[0]?.tlp).toBe('clear');
    const local = 'marking-definition--11111111-1111-4111-8111-111111111111';
    const marking: StixObject = { type: 'marking-definition', id: local, extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'red' } } };
    expect(indicatorsFromStix(stixIndicator({ object_marking_refs: [local] }), { related: [marking] })[0]?.tlp).toBe('red');
  });

  it('keeps revocation and leaves complex or foreign patterns to the evaluator', () => {
    expect(indicatorsFromStix(stixIndicator({ revoked: true }))[0]?.revoked).toBe(true);
    expect(indicatorsFromStix(stixIndicator({ pattern: "[ipv4-addr:value = '203.0.113.7'] FOLLOWEDBY [domain-name:value = 'a.vn']" }))).toEqual([]);
    expect(indicatorsFromStix(stixIndicator({ pattern: 'rule x { condition: true }', pattern_type: 'yara' }))).toEqual([]);
  });
});

const indicator: Indicator = {
  id: 'ind_0001',
  type: 'url',
  value: "http://evil.vn/it's/login",
  source: 'analyst:usr_1',
  confidence: 90,
  firstSeen: '2026-02-01T00:00:00.000Z',
  lastSeen: '2026-02-10T00:00:00.000Z',
  validUntil: '2026-08-01T00:00:00.000Z',
  killChain: ['lockheed-martin-cyber-kill-chain:delivery', 'malformed'],
  attack: ['T1566.002', 'not-an-id'],
  labels: ['phishing'],
  description: 'Phishing page imitating the tax portal',
  tlp: 'amber+strict',
  ownerOrgId: 'org_1',
  sharedWith: [],
  stixId: null,
  revoked: false,
  createdAt: '2026-02-01T01:02:03.456Z',
  updatedAt: '2026-02-05T00:00:00.000Z',
};

describe('indicatorToStix', () => {
  const stix = indicatorToStix(indicator, { identityId: CENTRE });

  it('produces a valid STIX 2.1 indicator', () => {
    expect(indicatorSchema.safeParse(stix).success).toBe(true);
    expect(stix).toMatchObject({
      type: 'indicator',
      spec_version: '2.1',
      created_by_ref: CENTRE,
      created: '2026-02-01T01:02:03.456Z',
      modified: '2026-02-05T00:00:00.000Z',
      pattern: String.raw`[url:value = 'http://evil.vn/it\'s/login']`,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2026-02-01T00:00:00.000Z',
      valid_until: '2026-08-01T00:00:00.000Z',
      kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' }],
      external_references: [{ source_name: 'mitre-attack', external_id: 'T1566.002', url: 'https://attack.mitre.org/techniques/T1566/002/' }],
      object_marking_refs: [TLP2_MARKINGS['amber+strict'].id],
      confidence: 90,
      labels: ['phishing'],
    });
    expect(stix).not.toHaveProperty('revoked');
  });

  it('gives the same id on every export, from type and value, outside the SCO namespace', () => {
    expect(indicatorToStix({ ...indicator, id: 'ind_other', confidence: 10 }, { identityId: CENTRE }).id).toBe(stix.id);
    expect(indicatorToStix({ ...indicator, value: 'http://evil.vn/other' }, { identityId: CENTRE }).id).not.toBe(stix.id);
    expect(identifierType(stix.id)).toBe('indicator');
    expect(stix.id).not.toBe(`indicator--${uuidV5(STIX_SCO_NAMESPACE, JSON.stringify({ value: indicator.value }))}`);
  });

  it('refuses a validity that ends before it starts', () => {
    expect(() => indicatorToStix({ ...indicator, validUntil: '2026-01-01T00:00:00.000Z' }, { identityId: CENTRE })).toThrow(VigilError);
  });

  it('round-trips indicator → STIX → indicator', () => {
    const [back] = indicatorsFromStix(indicatorSchema.parse(stix), { source: indicator.source });
    expect(back).toEqual({
      type: indicator.type,
      value: indicator.value,
      source: indicator.source,
      confidence: indicator.confidence,
      firstSeen: indicator.firstSeen,
      lastSeen: '2026-02-05T00:00:00.000Z', // the STIX object's modified time
      validUntil: indicator.validUntil,
      killChain: ['lockheed-martin-cyber-kill-chain:delivery'],
      attack: ['T1566.002'],
      labels: indicator.labels,
      description: indicator.description,
      tlp: indicator.tlp,
      stixId: stix.id,
      revoked: false,
    });
  });

  it.each([
    ['ipv6', '2001:db8::1'],
    ['cidr', '10.0.0.0/8'],
    ['sha256', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'],
    ['ja3', 'e7d705a3286e19ea42f587b344ee6865'],
    ['user-agent', 'sqlmap/1.7'],
  ] as const)('round-trips a %s indicator', (type, value) => {
    const out = indicatorToStix({ ...indicator, type, value, revoked: true, validUntil: null, description: null }, { identityId: CENTRE });
    const [back] = indicatorsFromStix(indicatorSchema.parse(out));
    expect(back).toMatchObject({ type, value, revoked: true, validUntil: null, description: `${type} ${value}` });
  });
});

describe('sightingToStix', () => {
  const sighting: Sighting = { indicatorId: 'ind_0001', orgId: 'org_7', eventSeq: 42, eventTime: '2026-03-01T10:15:00.000Z', field: 'url.original', value: 'http://evil.vn/login' };

  it('produces a valid, reproducible STIX sighting', () => {
    const options = { identityId: CENTRE, indicatorStixId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', whereSightedRef: ALLIANCE, tlp: 'red' as const };
    const out = sightingToStix(sighting, options);
    expect(sightingSchema.safeParse(out).success).toBe(true);
    expect(out).toMatchObject({ sighting_of_ref: options.indicatorStixId, first_seen: sighting.eventTime, last_seen: sighting.eventTime, count: 1, where_sighted_refs: [ALLIANCE], object_marking_refs: [TLP2_MARKINGS.red.id] });
    expect(sightingToStix(sighting, options)).toEqual(out);
    expect(sightingToStix({ ...sighting, eventSeq: 43 }, options).id).not.toBe(out.id);
  });
});

describe('bundle', () => {
  it('wraps the objects with a fresh bundle id and the TLP 2.0 markings they use', () => {
    const a = indicatorToStix(indicator, { identityId: CENTRE });
    const b = indicatorToStix({ ...indicator, value: 'http://evil.vn/b', tlp: 'green' }, { identityId: CENTRE });
    const out = bundle([a, b, { ...identity }]);
    expect(out.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bundle([a]).id).not.toBe(out.id);
    expect(out.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id)).toEqual([TLP2_MARKINGS['amber+strict'].id, TLP2_MARKINGS.green.id]);
    const checked = validateBundle(JSON.parse(JSON.stringify(out)) as unknown);
    expect(checked.rejected).toEqual([]);
    expect(checked.objects).toHaveLength(5);
  });
});
