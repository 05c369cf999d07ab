import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  it.each([
    '2026-03-02T08:00:00Z',
    '2026-03-02T08:00:00.000Z',
    '2026-03-02T08:00:00.1Z',
    '2026-03-02T08:00:00.12Z',
    '2026-03-02T08:00:00.1239Z',
    '2026-03-02T08:00:00.999999999Z',
    '2026-03-02t08:00:00z',
    '2026-03-02T08:00:00+07:00',
    '2026-03-02T08:00:00.5-05:30',
    '2024-02-29T23:59:59Z',
    '2023-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-03-02T24:00:00Z',
    '2026-13-02T08:00:00Z',
    '2026-03-02T08:60:00Z',
    '2026-03-02T08:00:00',
    '2026-03-02T08:00:00.Z',
    '2026-03-02 08:00:00Z',
    '2026-03-02',
    'Mon, 02 Mar 2026 08:00:00 GMT',
    'garbage',
    '',
  ])('%j as Date.parse', (text) => {
    expect(parseTimestamp(text)).toBe(Date.parse(text));
  });

  it('agrees with Date.parse on random instants', () => {
    let seed = 3;
    for (let k = 0; k < 2000; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      const iso = new Date((seed >>> 0) * 1000 + (seed & 999)).toISOString();
      expect(parseTimestamp(iso)).toBe(Date.parse(iso));
    }
  });
});
