import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows the burst, then refills at the rate', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    expect(limiter.take('s1', 100, 10, 100)).toEqual({ ok: true });
    expect(limiter.take('s1', 10, 10, 100)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1000);
    expect(limiter.take('s1', 10, 10, 100)).toEqual({ ok: true });
    expect(limiter.take('s1', 50, 10, 100)).toEqual({ ok: false, retryAfterSeconds: 5 });
  });

  it('keeps one bucket per sensor', () => {
    const limiter = new RateLimiter(new ManualClock(0));
    expect(limiter.take('a', 100, 10, 100).ok).toBe(true);
    expect(limiter.take('b', 100, 10, 100).ok).toBe(true);
    expect(limiter.take('a', 1, 10, 100).ok).toBe(false);
  });

  it('lets a batch larger than the burst through when the bucket is full', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    expect(limiter.take('s', 500, 10, 100).ok).toBe(true);
    expect(limiter.take('s', 1, 10, 100).ok).toBe(false);
    clock.advance(50_000);
    expect(limiter.take('s', 1, 10, 100).ok).toBe(true);
  });
});
