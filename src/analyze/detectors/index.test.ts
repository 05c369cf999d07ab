import { describe, expect, it } from 'vitest';
import { detectors } from './index.js';

describe('detector registry', () => {
  it('holds each detector once, by a unique name', () => {
    const names = detectors.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(detectors).size).toBe(detectors.length);
    expect(names.length).toBeGreaterThanOrEqual(2);
  });
});
