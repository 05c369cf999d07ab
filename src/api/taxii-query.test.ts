import { describe, expect, it } from 'vitest';
import { acceptsTaxii, decodeNext, encodeNext, isTaxiiContentType, matchesObject, parseTaxiiFilter, type QueryValues } from './taxii-query.js';

describe('TAXII 2.1 content negotiation (§1.6.8)', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version=2.1', true],
    ['application/taxii+json', true],
    ['Application/TAXII+JSON;version=2.1', true],
    ['application/json, application/taxii+json;version=2.1;q=0.5', true],
    ['*/*', true],
    ['application/*', true],
    ['application/taxii+json;version=2.0', false],
    ['application/taxii+json;version=2.1;q=0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    ['text/html', false],
  ])('Accept %s → %s', (accept, ok) => {
    expect(acceptsTaxii(accept)).toBe(ok);
  });

  it.each<[string | undefined, boolean]>([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    [undefined, false],
  ])('Content-Type %s → %s', (type, ok) => {
    expect(isTaxiiContentType(type)).toBe(ok);
  });
});

describe('TAXII 2.1 filter parameters (§3.5.1)', () => {
  it('reads every parameter, commas and repeats included', () => {
    const f = parseTaxiiFilter({ added_after: '2026-11-25T01:02:03.456Z', limit: '5', 'match[id]': 'indicator--a,indicator--b', 'match[type]': ['indicator', 'identity'], 'match[version]': 'first,2026-11-25T00:00:00Z', 'match[spec_version]': '2.1' }, 1000, 100);
    expect(f.addedAfter).toBe(Date.parse('2026-11-25T01:02:03.456Z'));
    expect(f.limit).toBe(5);
    expect([...(f.ids ?? [])]).toEqual(['indicator--a', 'indicator--b']);
    expect([...(f.types ?? [])]).toEqual(['indicator', 'identity']);
    expect(f.versions).toEqual([{ kind: 'first' }, { kind: 'at', millis: Date.parse('2026-11-25T00:00:00Z') }]);
    expect([...(f.specVersions ?? [])]).toEqual(['2.1']);
  });

  it('defaults to the last version, the default page size, no filters', () => {
    expect(parseTaxiiFilter({}, 1000, 100)).toEqual({ addedAfter: null, limit: 100, next: null, ids: null, types: null, versions: [{ kind: 'last' }], specVersions: null });
  });

  it('lowers a limit above the server maximum (§3.4: a server may send fewer)', () => {
    expect(parseTaxiiFilter({ limit: '50000' }, 1000, 100).limit).toBe(1000);
  });

  it.each<[QueryValues, RegExp]>([
    [{ limit: '0' }, /limit '0' must be a positive integer/],
    [{ limit: 'ten' }, /limit 'ten'/],
    [{ added_after: '2026-11-25' }, /added_after '2026-11-25' is not a timestamp/],
    [{ added_after: '2026-11-25T00:00:00+07:00' }, /is not a timestamp/],
    [{ 'match[version]': 'newest' }, /match\[version\] 'newest' is not a timestamp/],
    [{ 'match[relationship_type]': 'uses' }, /match\[relationship_type\] is not a supported filter/],
    [{ next: 'bm9wZQ' }, /pagination cursor/],
    [{ limit: ['1', '2'] }, /limit may be given once/],
  ])('refuses %j', (query, message) => {
    expect(() => parseTaxiiFilter(query, 1000, 100)).toThrow(message);
  });

  it('round-trips the next token, which is opaque', () => {
    const token = encodeNext({ addedAt: 1_764_028_800_123, position: 42 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeNext(token)).toEqual({ addedAt: 1_764_028_800_123, position: 42 });
  });

  it('matches one held version by keyword or by its modified time', () => {
    const o = { id: 'indicator--a', type: 'indicator', spec_version: '2.1' };
    const modified = Date.parse('2026-11-25T00:00:00.000Z');
    const f = (q: QueryValues) => parseTaxiiFilter(q, 1000, 100);
    expect(matchesObject(o, modified, f({}))).toBe(true);
    expect(matchesObject(o, modified, f({ 'match[version]': 'all' }))).toBe(true);
    expect(matchesObject(o, modified, f({ 'match[version]': '2026-11-25T00:00:00.000Z' }))).toBe(true);
    expect(matchesObject(o, modified, f({ 'match[version]': '2026-11-24T00:00:00.000Z' }))).toBe(false);
    expect(matchesObject(o, modified, f({ 'match[type]': 'identity' }))).toBe(false);
    expect(matchesObject(o, modified, f({ 'match[id]': 'indicator--b' }))).toBe(false);
    expect(matchesObject(o, modified, f({ 'match[spec_version]': '2.0' }))).toBe(false);
  });
});
