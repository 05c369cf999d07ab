import { describe, expect, it } from 'vitest';
import { canonicalJson, identifierType, scoId, STIX_SCO_NAMESPACE, uuidV5, VIGIL_STIX_NAMESPACE, vigilObjectId } from './ids.js';
import { parseStixTimestamp } from './timestamp.js';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5 (RFC 9562 §5.5)', () => {
  it('gives the RFC 9562 Appendix A.4 example', () => {
    expect(uuidV5(DNS_NAMESPACE, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it("agrees with Python's uuid.uuid5", () => {
    expect(uuidV5(DNS_NAMESPACE, 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('sets version 5 and the RFC variant', () => {
    expect(uuidV5(VIGIL_STIX_NAMESPACE, 'anything')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('nope', 'x')).toThrow(RangeError);
  });
});

describe('SCO ids (STIX 2.1 §2.9, §3.4)', () => {
  it('gives the id of the §2.9 example ipv4-addr 198.51.100.3', () => {
    expect(scoId('ipv4-addr', { value: '198.51.100.3' })).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
  });

  it('canonicalises JSON as RFC 8785 does', () => {
    expect(canonicalJson({ b: [1, 2.5, 'x'], a: { d: null, c: true }, '\u00e9': 'é', A: 1e21 })).toBe('{"A":1e+21,"a":{"c":true,"d":null},"b":[1,2.5,"x"],"é":"é"}');
    expect(canonicalJson({ '\ud83d\ude00': 1, '\ufb33': 2 })).toBe('{"\ud83d\ude00":1,"\ufb33":2}'); // UTF-16 order
    expect(() => canonicalJson(Number.NaN)).toThrow(RangeError);
  });

  it("keeps Vigil's object ids out of the STIX SCO namespace", () => {
    expect(VIGIL_STIX_NAMESPACE).not.toBe(STIX_SCO_NAMESPACE);
    const id = vigilObjectId('indicator', 'ipv4|198.51.100.3');
    expect(id).toBe(vigilObjectId('indicator', 'ipv4|198.51.100.3'));
    expect(id).not.toBe(vigilObjectId('indicator', 'ipv4|198.51.100.4'));
    expect(identifierType(id)).toBe('indicator');
  });

  it.each([
    ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'indicator'],
    ['x-usb-device--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'x-usb-device'],
    ['indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f', null], // version 0
    ['indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f', null], // not the RFC 4122 variant
    ['Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', null],
    ['indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', null],
  ])('reads the type of %s as %s', (id, type) => {
    expect(identifierType(id)).toBe(type);
  });
});

describe('STIX timestamps (§2.16)', () => {
  it.each([
    ['2016-01-20T12:31:12.123Z', { seconds: 1453293072, nanos: 123_000_000 }],
    ['2016-01-20T12:31:12Z', { seconds: 1453293072, nanos: 0 }],
    ['2016-01-20T12:31:12.123456789123Z', { seconds: 1453293072, nanos: 123_456_789 }],
    ['2016-12-31T23:59:60Z', { seconds: 1483228800, nanos: 0 }],
  ])('%s', (text, instant) => {
    expect(parseStixTimestamp(text)).toEqual(instant);
  });

  it.each(['2016-01-20T12:31:12.Z', '2016-01-20 12:31:12Z', '2016-01-20T12:31:12+00:00', '2016-02-30T00:00:00Z', '2016-01-20t12:31:12z'])('rejects %s', (text) => {
    expect(parseStixTimestamp(text)).toBeNull();
  });
});
