import { describe, it, expect } from 'vitest';
import { httpOutcome, unescapeLogText } from './access-log.js';

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
