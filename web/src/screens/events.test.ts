import { describe, expect, it } from 'vitest';
import { histogram } from './events.js';

describe('the events histogram', () => {
  it('counts events per bucket over the range and ignores those outside it', () => {
    expect(histogram([0, 1, 9, 10, 25, 39, 40, -1], 0, 40, 4)).toEqual([3, 1, 1, 1]);
  });
});
