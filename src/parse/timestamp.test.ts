import { describe, it, expect } from 'vitest';
import { epochToMs, isoFromMs, parseClfTime, parseIso8601, parseTimeValue } from './timestamp.js';

const iso = (ms: number): string | undefined => isoFromMs(ms);

describe('parseClfTime', () => {
  it.each([
    ['10/Oct/2000:13:55:36 -0700', '2000-10-10T20:55:36.000Z'],
    ['01/May/2024:09:15:02 +0700', '2024-05-01T02:15:02.000Z'],
    ['29/Feb/2024:23:59:59 +0000', '2024-02-29T23:59:59.000Z'],
    ['01/jan/2024:00:00:00 +0530', '2023-12-31T18:30:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(iso(parseClfTime(text, 0))).toBe(expected);
  });

  it.each(['29/Feb/2023:00:00:00 +0000', '32/Jan/2024:00:00:00 +0000', '01/Xyz/2024:00:00:00 +0000', '01/Jan/2024:24:00:00 +0000', '01/Jan/2024 00:00:00 +0000', '01/Jan/2024:00:00:00 +0760'])(
    'rejects %s',
    (text) => {
      expect(parseClfTime(text, 0)).toBeNaN();
    },
  );
});

describe('parseIso8601', () => {
  it.each([
    ['2024-05-01T02:15:02Z', 0, '2024-05-01T02:15:02.000Z'],
    ['2024-05-01T09:15:02+07:00', 0, '2024-05-01T02:15:02.000Z'],
    ['2024-05-01T09:15:02+0700', 0, '2024-05-01T02:15:02.000Z'],
    ['2024-05-01T09:15:02+07', 0, '2024-05-01T02:15:02.000Z'],
    ['2024-05-01t02:15:02.5z', 0, '2024-05-01T02:15:02.500Z'],
    ['2024-05-01T02:15:02.1234567Z', 0, '2024-05-01T02:15:02.123Z'],
    ['2024-05-01 09:15:02', 420, '2024-05-01T02:15:02.000Z'], // no zone: the given local offset
    ['2024-05-01T09:15', 420, '2024-05-01T02:15:00.000Z'],
    ['2024-05-01', 420, '2024-05-01T00:00:00.000Z'],
  ])('%s (offset %i) → %s', (text, offset, expected) => {
    expect(iso(parseIso8601(text, offset))).toBe(expected);
  });

  it.each(['', '2024', '2024-13-01', '2024-02-30T00:00:00Z', '2024-05-01T25:00:00Z', '2024-05-01T02:15:02Zjunk', '2024-05-01T02:15:02.Z', 'May 1 2024', '2024-05-01T02:15:02+25:00'])(
    'rejects %j',
    (text) => {
      expect(parseIso8601(text, 0)).toBeNaN();
    },
  );
});

describe('epochToMs and parseTimeValue', () => {
  it.each([
    [1714529702, 1714529702000],
    [1714529702.25, 1714529702250],
    [1714529702000, 1714529702000],
    [1714529702000000, 1714529702000],
    [1714529702000000000, 1714529702000],
  ])('%d → %d ms', (value, ms) => {
    expect(epochToMs(value)).toBe(ms);
  });

  it.each([
    ['1714529702', '2024-05-01T02:15:02.000Z'],
    ['1714529702123', '2024-05-01T02:15:02.123Z'],
    ['2024-05-01T02:15:02Z', '2024-05-01T02:15:02.000Z'],
  ])('%j → %s', (value, expected) => {
    expect(iso(parseTimeValue(value, 0))).toBe(expected);
  });

  it.each([null, true, {}, 'yesterday', '', '12abc'])('rejects %j', (value) => {
    expect(parseTimeValue(value, 0)).toBeNaN();
  });

  it('isoFromMs refuses instants without a four-digit year', () => {
    expect(isoFromMs(NaN)).toBeUndefined();
    expect(isoFromMs(253402300800000)).toBeUndefined();
    expect(isoFromMs(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('isoFromMs matches Date.prototype.toISOString', () => {
  it('on fixed edge instants', () => {
    for (const ms of [0, -1, 951782400000, 951868799999, 4107542400000, -62167219200000, 253402300799999, 1709164800000, 1714529702123]) {
      expect(isoFromMs(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('on 100 000 pseudo-random instants across years 0000–9999', () => {
    let seed = 12345;
    for (let i = 0; i < 100_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const ms = Math.floor(-62167219200000 + (seed / 2147483648) * (253402300799999 + 62167219200000));
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
