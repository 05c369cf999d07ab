import { describe, it, expect } from 'vitest';
import { decodeUtf8, httpOutcome, unescapeLogText } from './access-log.js';

describe('unescapeLogText', () => {
  it.each([
    ['plain', 'plain'],
    ['\\x22quoted\\x22', '"quoted"'],
    ['\\"quoted\\"', '"quoted"'],
    ['back\\\\slash', 'back\\slash'],
    ['tab\\there\\nnew', 'tab\there\nnew'],
    ['C\\xE1\\xBB\\x91c', 'Cốc'],
    ['H\\xE1\\xBB\\x93 s\\xC6\\xA1', 'Hồ sơ'],
    ['broken \\xE1\\xBB end', 'broken \uFFFD end'],
    ['\\xZZ not hex', '\\xZZ not hex'],
    ['unknown \\q escape', 'unknown \\q escape'],
    ['trailing \\', 'trailing \\'],
  ])('%s → %s', (input, expected) => {
    expect(unescapeLogText(input, 0, input.length)).toBe(expected);
  });

  it('decodes only the given range', () => {
    expect(unescapeLogText('ab\\x41cd', 2, 7)).toBe('Ac');
  });
});

describe('httpOutcome', () => {
  it.each([
    [101, 'success'],
    [200, 'success'],
    [304, 'success'],
    [399, 'success'],
    [400, 'failure'],
    [499, 'failure'],
    [503, 'failure'],
  ] as const)('%i → %s', (status, outcome) => {
    expect(httpOutcome(status)).toBe(outcome);
  });
});

describe('decodeUtf8 agrees with the WHATWG decoder (TextDecoder)', () => {
  const decoder = new TextDecoder('utf-8');
  it.each([
    [[0x48, 0xe1, 0xbb, 0x93]],
    [[0xf0, 0x9f, 0x98, 0x80]],
    [[0xe1, 0xbb]],
    [[0xc0, 0x80]],
    [[0xe0, 0x80, 0x80]],
    [[0xed, 0xa0, 0x80]],
    [[0xf4, 0x90, 0x80, 0x80]],
    [[0xff, 0x41]],
    [[0x80, 0x80, 0xc3]],
  ])('%j', (bytes) => {
    expect(decodeUtf8(bytes)).toBe(decoder.decode(Uint8Array.from(bytes)));
  });

  it('on 20 000 pseudo-random byte strings', () => {
    let seed = 99;
    for (let i = 0; i < 20_000; i++) {
      const bytes: number[] = [];
      for (let j = 0; j < 8; j++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        bytes.push(seed % 3 === 0 ? 0x80 + (seed % 64) : (seed >> 8) % 256);
      }
      expect(decodeUtf8(bytes)).toBe(decoder.decode(Uint8Array.from(bytes)));
    }
  });
});
