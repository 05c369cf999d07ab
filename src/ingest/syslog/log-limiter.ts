/**
 * @module ingest/syslog/log-limiter
 * "At most once per interval per key" for log lines a sender can trigger at will (unknown
 * sources, oversize frames, a failing sink): without it one misconfigured forwarder, or a
 * spoofed UDP flood, would fill the log. Suppressed occurrences are counted and reported with the
 * next line that is let through. Memory is bounded: stale keys are pruned, and if every key is
 * fresh the table is cleared (logging a little more often rather than growing).
 */

const MAX_KEYS = 10_000;

export class LogLimiter {
  private readonly seen = new Map<string, { last: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Null when `key` was let through less than an interval ago; else how many were suppressed. */
  admit(key: string): { suppressed: number } | null {
    const now = this.now();
    const entry = this.seen.get(key);
    if (entry && now - entry.last < this.intervalMs) {
      entry.suppressed++;
      return null;
    }
    if (!entry && this.seen.size >= MAX_KEYS) this.prune(now);
    this.seen.set(key, { last: now, suppressed: 0 });
    return { suppressed: entry?.suppressed ?? 0 };
  }

  private prune(now: number): void {
    for (const [key, entry] of this.seen) if (now - entry.last >= this.intervalMs) this.seen.delete(key);
    if (this.seen.size >= MAX_KEYS) this.seen.clear();
  }
}
