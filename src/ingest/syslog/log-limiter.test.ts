import { describe, expect, it } from 'vitest';
import { LogLimiter } from './log-limiter.js';

describe('LogLimiter', () => {
  it('lets a key through once per interval and reports how many were suppressed', () => {
    let now = 0;
    const limiter = new LogLimiter(60_000, () => now);
    expect(limiter.admit('10.0.0.1')).toEqual({ suppressed: 0 });
    expect(limiter.admit('10.0.0.1')).toBeNull();
    expect(limiter.admit('10.0.0.2')).toEqual({ suppressed: 0 });
    now = 59_999;
    expect(limiter.admit('10.0.0.1')).toBeNull();
    now = 60_000;
    expect(limiter.admit('10.0.0.1')).toEqual({ suppressed: 2 });
    expect(limiter.admit('10.0.0.1')).toBeNull();
  });

  it('stays bounded with many distinct keys', () => {
    let now = 0;
    const limiter = new LogLimiter(1000, () => now);
    for (let k = 0; k < 25_000; k++) {
      now = k;
      expect(limiter.admit(`peer-${k}`)).toEqual({ suppressed: 0 });
    }
    // Key 24_999 was admitted 0 ms ago: still limited after pruning.
    expect(limiter.admit('peer-24999')).toBeNull();
  });
});
