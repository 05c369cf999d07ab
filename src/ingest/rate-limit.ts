/**
 * @module ingest/rate-limit
 * Per-sensor token buckets, counted in events: a sensor may send `rate` events per second on
 * average with bursts up to `burst`. A batch that does not fit is refused whole (429 with
 * Retry-After) so the sender retries it later with the same idempotency key — nothing is half
 * stored.
 */
import type { Clock } from '../core/clock.js';

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes `cost` tokens, or returns the seconds to wait until they would be there. */
  take(key: string, cost: number, rate: number, burst: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, updated: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 1000) * rate);
    bucket.updated = now;
    // A batch larger than the burst could never pass: let it through when the bucket is full.
    const needed = Math.min(cost, burst);
    if (bucket.tokens >= needed) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((needed - bucket.tokens) / rate)) };
  }
}
