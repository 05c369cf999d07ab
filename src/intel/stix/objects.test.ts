import { describe, expect, it } from 'vitest';
import { validateBundle, validateObject } from './objects.js';
import { TLP1_MARKINGS, TLP2_EXTENSION_ID, TLP2_MARKINGS, tlp2MarkingDefinition } from './tlp.js';

const IDENTITY = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
const common = { spec_version: '2.1', created: '2016-04-06T20:03:48.000Z', modified: '2016-04-06T20:03:48.000Z', created_by_ref: IDENTITY };

/** One valid object of every type checked in detail (mostly the examples of the specification). */
const GOOD: Record<string, Record<string, unknown>> = {
  indicator: {
    type: 'indicator',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    ...common,
    indicator_types: ['malicious-activity'],
    name: 'Poison Ivy Malware',
    pattern: "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
    pattern_type: 'stix',
    valid_from: '2016-01-01T00:00:00Z',
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' }],
    object_marking_refs: [TLP2_MARKINGS.amber.id],
    confidence: 85,
    external_references: [{ source_name: 'mitre-attack', external_id: 'T1566.001', url: 'https://attack.mitre.org/techniques/T1566/001/' }],
  },
  'observed-data': {
    type: 'observed-data',
    id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
    ...common,
    first_observed: '2015-12-21T19:00:00Z',
    last_observed: '2015-12-21T19:00:00Z',
    number_observed: 50,
    object_refs: ['ipv4-addr--efcd5e80-570d-4131-b213-62cb18eaa6a8', 'domain-name--ecb120bf-2694-4902-a737-62b74539a41b'],
  },
  sighting: {
    type: 'sighting',
    id: 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75',
    ...common,
    first_seen: '2015-12-21T19:00:00Z',
    last_seen: '2015-12-21T19:00:00Z',
    count: 5,
    sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    observed_data_refs: ['observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf'],
    where_sighted_refs: [IDENTITY],
  },
  identity: { type: 'identity', id: IDENTITY, spec_version: '2.1', created: '2015-12-21T19:59:11.000Z', modified: '2015-12-21T19:59:11.000Z', name: 'ACME Widget, Inc.', identity_class: 'organization' },
  'marking-definition': { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', name: 'TLP:GREEN', definition: { tlp: 'green' } },
  relationship: {
    type: 'relationship',
    id: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',
    ...common,
    relationship_type: 'indicates',
    source_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    target_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
  },
  malware: { type: 'malware', id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b', ...common, name: 'Poison Ivy', is_family: true, malware_types: ['trojan'] },
  'attack-pattern': {
    type: 'attack-pattern',
    id: 'attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    ...common,
    name: 'Spearphishing Attachment',
    external_references: [{ source_name: 'mitre-attack', external_id: 'T1566.001' }, { source_name: 'capec', external_id: 'CAPEC-163' }],
  },
  vulnerability: { type: 'vulnerability', id: 'vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', ...common, name: 'CVE-2016-1234', external_references: [{ source_name: 'cve', external_id: 'CVE-2016-1234' }] },
  report: {
    type: 'report',
    id: 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3',
    ...common,
    name: 'The Black Vine Cyberespionage Group',
    report_types: ['campaign'],
    published: '2016-01-20T17:00:00.000Z',
    object_refs: ['indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2', 'campaign--83422c77-904c-4dc1-aff5-5c38f3a2c55c'],
  },
};

describe('validateObject: valid objects', () => {
  it.each(Object.keys(GOOD))('accepts a %s', (type) => {
    expect(validateObject(GOOD[type])).toEqual({ ok: true, object: GOOD[type] });
  });

  it.each([
    ['a TLP 2.0 marking', tlp2MarkingDefinition('amber+strict')],
    ['a statement marking', { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--089a6ecb-cc15-43cc-9494-767639779123', created: '2016-08-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'Copyright 2019, Example Corp' } }],
    ['an SCO', { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' }],
    ['a file SCO with hashes only', { type: 'file', id: 'file--fb0419a8-f09c-57f8-be64-71a80417591c', hashes: { 'SHA-256': 'aa' } }],
    ['an indicator in another pattern language', { ...GOOD.indicator, pattern: 'title: x\ndetection: {}', pattern_type: 'sigma' }],
    ['an indicator with valid_until', { ...GOOD.indicator, valid_until: '2016-01-01T00:00:00.001Z' }],
    ['observed data with the deprecated container', { ...GOOD['observed-data'], object_refs: undefined, objects: { '0': { type: 'ipv4-addr', value: '1.2.3.4' } } }],
    ['a malware instance without a name', { ...GOOD.malware, is_family: false, name: undefined }],
    ['a campaign (common checks only)', { type: 'campaign', id: 'campaign--83422c77-904c-4dc1-aff5-5c38f3a2c55c', ...common, name: 'Green Group Attacks' }],
    ['a custom object with SDO properties', { type: 'x-vigil-alert', id: 'x-vigil-alert--83422c77-904c-4dc1-aff5-5c38f3a2c55c', ...common, severity_level: 3 }],
    ['a custom SCO', { type: 'x-usb-device', id: 'x-usb-device--83422c77-904c-4dc1-aff5-5c38f3a2c55c', serial_number: '575833314133343231313937' }],
    ['timestamps with microseconds', { ...GOOD.identity, created: '2015-12-21T19:59:11.000123Z', modified: '2015-12-21T19:59:11.000124Z' }],
  ])('accepts %s', (_name, object) => {
    const stripped = JSON.parse(JSON.stringify(object)) as unknown;
    expect(validateObject(stripped)).toMatchObject({ ok: true });
  });
});

describe('validateObject: invalid objects', () => {
  const without = (o: Record<string, unknown>, key: string): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
  it.each<[string, unknown, string]>([
    ['not an object', 'indicator', '(object): must be a JSON object'],
    ['no type', { id: 'x' }, 'type: Required'],
    ['STIX 2.0 (no spec_version)', without(GOOD.identity as Record<string, unknown>, 'spec_version'), "spec_version: must be '2.1' (STIX 2.1 §3.2)"],
    ['an id of another type', { ...GOOD.identity, id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, "id: must start with 'identity--' (STIX 2.1 §2.9)"],
    ['an id that is not a UUID', { ...GOOD.identity, id: 'identity--1234' }, 'id: must be an identifier <object-type>--<RFC 4122 UUID> (STIX 2.1 §2.9)'],
    ['created without milliseconds', { ...GOOD.identity, created: '2015-12-21T19:59:11Z' }, 'created: must be precise to the millisecond (STIX 2.1 §3.2)'],
    ['a timestamp with an offset', { ...GOOD.identity, modified: '2015-12-21T19:59:11.000+07:00' }, 'modified: must be a STIX timestamp YYYY-MM-DDTHH:mm:ss[.s+]Z in UTC (STIX 2.1 §2.16)'],
    ['modified before created', { ...GOOD.identity, modified: '2015-12-21T19:59:10.999Z' }, 'modified: must be at or after created (STIX 2.1 §3.2)'],
    ['confidence over 100', { ...GOOD.indicator, confidence: 101 }, 'confidence: must be 0–100 (STIX 2.1 §3.2)'],
    ['an empty list', { ...GOOD.indicator, labels: [] }, 'labels: must not be an empty list (STIX 2.1 §2.12)'],
    ['a created_by_ref that is no identity', { ...GOOD.identity, created_by_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, 'created_by_ref: must be the id of an identity object'],
    ['a marking ref that is no marking', { ...GOOD.indicator, object_marking_refs: [IDENTITY] }, 'object_marking_refs.0: must be the id of a marking-definition object'],
    ['an external reference with only a source', { ...GOOD.indicator, external_references: [{ source_name: 'x' }] }, 'external_references.0: needs a description, url or external_id besides source_name (STIX 2.1 §2.5.2)'],
    ['a granular marking with both marking_ref and lang', { ...GOOD.indicator, granular_markings: [{ selectors: ['name'], lang: 'vi', marking_ref: TLP2_MARKINGS.red.id }] }, 'granular_markings.0: needs exactly one of marking_ref or lang (STIX 2.1 §7.2.3)'],
    // indicator (§4.7)
    ['an indicator without pattern', without(GOOD.indicator as Record<string, unknown>, 'pattern'), 'pattern: Required'],
    ['an indicator without pattern_type', without(GOOD.indicator as Record<string, unknown>, 'pattern_type'), 'pattern_type: Required'],
    ['an indicator without valid_from', without(GOOD.indicator as Record<string, unknown>, 'valid_from'), 'valid_from: Required'],
    ['valid_until at valid_from', { ...GOOD.indicator, valid_until: '2016-01-01T00:00:00Z' }, 'valid_until: must be later than valid_from (STIX 2.1 §4.7)'],
    ['an invalid STIX pattern', { ...GOOD.indicator, pattern: "[file:name = 'a'" }, "pattern: is not a valid STIX pattern: expected ']' but found the end of the pattern at 16"],
    ['a kill chain phase without phase_name', { ...GOOD.indicator, kill_chain_phases: [{ kill_chain_name: 'x' }] }, 'kill_chain_phases.0.phase_name: Required'],
    ['a malformed ATT&CK id', { ...GOOD.indicator, external_references: [{ source_name: 'mitre-attack', external_id: 'T15' }] }, "external_references.0.external_id: 'T15' is not a MITRE ATT&CK id (T1190, T1059.001, TA0001, …)"],
    // observed-data (§4.14)
    ['number_observed 0', { ...GOOD['observed-data'], number_observed: 0 }, 'number_observed: must be 1–999,999,999'],
    ['number_observed too large', { ...GOOD['observed-data'], number_observed: 1_000_000_000 }, 'number_observed: must be 1–999,999,999'],
    ['last_observed before first_observed', { ...GOOD['observed-data'], last_observed: '2015-12-21T18:59:59Z' }, 'last_observed: must be at or after first_observed (STIX 2.1 §4.14)'],
    ['both objects and object_refs', { ...GOOD['observed-data'], objects: { '0': { type: 'ipv4-addr', value: '1.2.3.4' } } }, 'object_refs: exactly one of object_refs or objects must be present (STIX 2.1 §4.14)'],
    ['neither objects nor object_refs', without(GOOD['observed-data'] as Record<string, unknown>, 'object_refs'), 'object_refs: exactly one of object_refs or objects must be present (STIX 2.1 §4.14)'],
    ['object_refs naming an SDO', { ...GOOD['observed-data'], object_refs: ['malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b'] }, 'object_refs.0: must not be the id of a'],
    // sighting (§5.2)
    ['a sighting without sighting_of_ref', without(GOOD.sighting as Record<string, unknown>, 'sighting_of_ref'), 'sighting_of_ref: Required'],
    ['a sighting of a relationship', { ...GOOD.sighting, sighting_of_ref: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad' }, 'sighting_of_ref: must not be the id of a'],
    ['a negative count', { ...GOOD.sighting, count: -1 }, 'count: must be 0–999,999,999'],
    ['last_seen before first_seen', { ...GOOD.sighting, last_seen: '2015-12-21T18:00:00Z' }, 'last_seen: must be at or after first_seen (STIX 2.1 §5.2)'],
    ['observed_data_refs naming an indicator', { ...GOOD.sighting, observed_data_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'] }, 'observed_data_refs.0: must be the id of an observed-data object'],
    ['where_sighted_refs naming a malware', { ...GOOD.sighting, where_sighted_refs: ['malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b'] }, 'where_sighted_refs.0: must be the id of an identity or location object'],
    // identity (§4.5)
    ['an identity without name', without(GOOD.identity as Record<string, unknown>, 'name'), 'name: Required'],
    // marking-definition (§7.2)
    ['a fifth TLP 1.0 marking', { ...GOOD['marking-definition'], id: 'marking-definition--11111111-1111-4111-8111-111111111111' }, 'id: only the four TLP marking definitions of STIX 2.1 §7.2.1.4 may use definition_type tlp'],
    ['a TLP 1.0 id with another colour', { ...GOOD['marking-definition'], definition: { tlp: 'red' } }, 'id: only the four TLP marking definitions'],
    ['a marking with no definition', { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--11111111-1111-4111-8111-111111111111', created: '2017-01-20T00:00:00.000Z' }, 'definition: definition_type and definition are required unless the marking is defined by an extension (STIX 2.1 §7.2.1.1)'],
    ['a statement marking without statement', { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--11111111-1111-4111-8111-111111111111', created: '2017-01-20T00:00:00.000Z', definition_type: 'statement', definition: {} }, 'definition.statement: a statement marking needs a statement string (STIX 2.1 §7.2.1.3)'],
    ['a TLP 2.0 marking under another id', { ...tlp2MarkingDefinition('red'), id: 'marking-definition--11111111-1111-4111-8111-111111111111' }, 'id: a TLP 2.0 marking must be the published TLP:RED object (marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1)'],
    ['a TLP 2.0 marking with an unknown level', { ...tlp2MarkingDefinition('red'), extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'purple' } } }, 'tlp_2_0: must be clear, green, amber, amber+strict or red (TLP 2.0)'],
    ['a published TLP 2.0 id with another definition', { type: 'marking-definition', spec_version: '2.1', id: TLP2_MARKINGS.red.id, created: '2022-10-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'mine' } }, 'is a published TLP marking and must carry its TLP definition'],
    // relationship (§5.1)
    ['a relationship without relationship_type', without(GOOD.relationship as Record<string, unknown>, 'relationship_type'), 'relationship_type: Required'],
    ['an upper-case relationship_type', { ...GOOD.relationship, relationship_type: 'Indicates' }, 'relationship_type: must be lower-case ASCII words joined by hyphens (STIX 2.1 §5.1)'],
    ['a relationship to a marking', { ...GOOD.relationship, target_ref: TLP1_MARKINGS.red.id }, 'target_ref: must not be the id of a'],
    ['stop_time at start_time', { ...GOOD.relationship, start_time: '2016-01-01T00:00:00Z', stop_time: '2016-01-01T00:00:00Z' }, 'stop_time: must be later than start_time (STIX 2.1 §5.1)'],
    // malware (§4.11)
    ['a malware without is_family', without(GOOD.malware as Record<string, unknown>, 'is_family'), 'is_family: Required'],
    ['a malware family without name', without(GOOD.malware as Record<string, unknown>, 'name'), 'name: is required when is_family is true (STIX 2.1 §4.11)'],
    // attack-pattern (§4.1)
    ['an attack pattern without name', without(GOOD['attack-pattern'] as Record<string, unknown>, 'name'), 'name: Required'],
    ['an attack pattern with a tactic id', { ...GOOD['attack-pattern'], external_references: [{ source_name: 'mitre-attack', external_id: 'TA0001' }] }, "external_references.0.external_id: an attack pattern's ATT&CK id is a technique (T1190, T1059.001), not 'TA0001'"],
    ['a malformed CAPEC id', { ...GOOD['attack-pattern'], external_references: [{ source_name: 'capec', external_id: '163' }] }, "external_references.0.external_id: '163' is not a CAPEC id (CAPEC-N)"],
    // vulnerability (§4.19)
    ['a vulnerability without name', without(GOOD.vulnerability as Record<string, unknown>, 'name'), 'name: Required'],
    ['a malformed CVE id', { ...GOOD.vulnerability, external_references: [{ source_name: 'cve', external_id: 'CVE-16-1234' }] }, "external_references.0.external_id: 'CVE-16-1234' is not a CVE id (CVE-YYYY-NNNN)"],
    // report (§4.16)
    ['a report without published', without(GOOD.report as Record<string, unknown>, 'published'), 'published: Required'],
    ['a report without object_refs', without(GOOD.report as Record<string, unknown>, 'object_refs'), 'object_refs: Required'],
    // SCOs (§6)
    ['an ipv4-addr without value', { type: 'ipv4-addr', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4' }, 'value: Required'],
    ['a file with neither hashes nor name', { type: 'file', id: 'file--fb0419a8-f09c-57f8-be64-71a80417591c', size: 1 }, 'hashes: a file needs hashes or a name (STIX 2.1 §6.7)'],
    ['an upper-case MAC address', { type: 'mac-addr', id: 'mac-addr--65cfcf98-8a6e-5a1b-8f61-379ac4f92d00', value: 'AA:BB:CC:00:11:22' }, 'value: must be a lower-case, colon-delimited MAC address (STIX 2.1 §6.10)'],
    ['a custom SCO without id', { type: 'x-usb-device', serial_number: '1' }, 'id: Required'],
    ['a custom SDO with a bad created', { type: 'x-vigil-alert', id: 'x-vigil-alert--83422c77-904c-4dc1-aff5-5c38f3a2c55c', ...common, created: 'yesterday' }, 'created: must be a STIX timestamp'],
    ['a type name with capitals', { type: 'X-Thing', id: 'x-thing--83422c77-904c-4dc1-aff5-5c38f3a2c55c' }, 'type: must be a lower-case type name (STIX 2.1 §3.1)'],
  ])('rejects %s', (_name, object, reason) => {
    const result = validateObject(JSON.parse(JSON.stringify(object)) as unknown);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('validateBundle', () => {
  it('keeps the valid objects and reports each invalid one', () => {
    const bad = { ...GOOD.indicator, id: 'indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2', pattern: '[nope' };
    const result = validateBundle({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [GOOD.identity, bad, 42, GOOD.indicator, tlp2MarkingDefinition('green')] });
    expect(result.objects.map((o) => o.type)).toEqual(['identity', 'indicator', 'marking-definition']);
    expect(result.rejected).toEqual([
      { index: 1, id: 'indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2', reason: "pattern: is not a valid STIX pattern: expected ':' after the object type but found the end of the pattern at 5" },
      { index: 2, reason: '(object): must be a JSON object' },
    ]);
  });

  it('accepts a bundle without objects (§8.1)', () => {
    expect(validateBundle({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d' })).toEqual({ objects: [], rejected: [] });
  });

  it.each<[string, unknown, string]>([
    ['an array', [GOOD.identity], 'not a STIX 2.1 bundle: (object): Expected object, received array'],
    ['an object that is not a bundle', GOOD.identity, "not a STIX 2.1 bundle: type: must be 'bundle'; id: must start with 'bundle--'"],
    ['a bundle with a bad id', { type: 'bundle', id: 'bundle--1', objects: [] }, 'not a STIX 2.1 bundle: id: must be an identifier'],
    ['a STIX 2.0 bundle', { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', spec_version: '2.0', objects: [] }, 'not a STIX 2.1 bundle: spec_version: STIX 2.0 bundles carry spec_version; only STIX 2.1 is accepted'],
    ['objects that are not a list', { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: {} }, 'not a STIX 2.1 bundle: objects: Expected array, received object'],
  ])('rejects %s as one error', (_name, json, reason) => {
    const result = validateBundle(json);
    expect(result.objects).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.index).toBe(-1);
    expect(result.rejected[0]?.reason).toContain(reason);
  });
});
