/**
 * @module detect/sigma/correlation/event-window
 * The events one group of one correlation holds: a time-sorted deque of (time, ref, payload)
 * with a head index, so eviction from the front is O(1) amortised (no `shift()`), and an event
 * that arrives slightly late is inserted at its place by time (Sigma correlation rules
 * specification v2.1.0, "Time Selection": the window slides over event time, "not restricted to
 * boundaries").
 *
 * Times and refs are interleaved in one array of doubles and payloads are kept only when the
 * correlation type needs them, because a busy correlation creates a group per new source address
 * or user and each allocation here is paid in garbage collection.
 *
 * The payload is what the group's aggregate needs from the event: a rule index (temporal
 * types), a distinct-value key (value_count), a number (value_sum/avg/percentile).
 */

export type Payload = string | number;

/** Receives the payloads of evicted events. */
export interface EvictionSink {
  remove(payload: Payload): void;
}

/** Compaction happens only when the dead prefix is at least this many events and half the deque. */
const compactAfter = 32;

export class EventWindow {
  /** time0, ref0, time1, ref1, … */
  private stamps: number[] = [];
  private payloads: Payload[] | null;
  /** Index of the oldest retained event (in events, not array slots). */
  private head = 0;

  constructor(withPayloads: boolean) {
    this.payloads = withPayloads ? [] : null;
  }

  get size(): number {
    return (this.stamps.length >> 1) - this.head;
  }

  /** The time of the oldest retained event (undefined when empty). */
  get oldestTime(): number | undefined {
    return this.size > 0 ? this.stamps[this.head << 1] : undefined;
  }

  /** The time of the newest retained event (undefined when empty). */
  get newestTime(): number | undefined {
    return this.size > 0 ? this.stamps[this.stamps.length - 2] : undefined;
  }

  /**
   * Inserts an event in time order. Returns true when it went at the end (the common, in-order
   * case); events with equal times keep their arrival order.
   */
  insert(time: number, ref: number, payload: Payload): boolean {
    const stamps = this.stamps;
    if (this.size === 0 || (stamps[stamps.length - 2] ?? time) <= time) {
      stamps.push(time, ref);
      this.payloads?.push(payload);
      return true;
    }
    // Binary search for the first retained event later than `time`.
    let lo = this.head;
    let hi = stamps.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((stamps[mid << 1] ?? 0) <= time) lo = mid + 1;
      else hi = mid;
    }
    stamps.splice(lo << 1, 0, time, ref);
    this.payloads?.splice(lo, 0, payload);
    return false;
  }

  /** Removes events older than `start`, oldest first, handing each payload to `sink`. */
  evictBefore(start: number, sink: EvictionSink): void {
    const stamps = this.stamps;
    const end = stamps.length >> 1;
    while (this.head < end && (stamps[this.head << 1] ?? start) < start) this.dropHead(sink);
    this.compact();
  }

  /** Removes the oldest event (when the group holds more events than it may). */
  evictOldest(sink: EvictionSink): void {
    if (this.size > 0) this.dropHead(sink);
    this.compact();
  }

  clear(): void {
    this.stamps = [];
    if (this.payloads !== null) this.payloads = [];
    this.head = 0;
  }

  /** Visits the retained events in time order. */
  forEach(visit: (time: number, ref: number, payload: Payload) => void): void {
    const end = this.stamps.length >> 1;
    for (let i = this.head; i < end; i++) {
      visit(this.stamps[i << 1] ?? 0, this.stamps[(i << 1) + 1] ?? 0, this.payloads?.[i] ?? 0);
    }
  }

  /**
   * The refs of the retained events in time order, at most `max` of them: when there are more,
   * the first and last halves (how it started and what completed it).
   */
  sampleRefs(max: number): number[] {
    const end = this.stamps.length >> 1;
    const out: number[] = [];
    const first = this.size <= max ? end : this.head + Math.ceil(max / 2);
    for (let i = this.head; i < first; i++) out.push(this.stamps[(i << 1) + 1] ?? 0);
    for (let i = Math.max(first, end - (max - out.length)); i < end; i++) out.push(this.stamps[(i << 1) + 1] ?? 0);
    return out;
  }

  /** Plain copies of the retained events, for a snapshot. */
  toColumns(): { times: number[]; refs: number[]; payloads: Payload[] } {
    const times: number[] = [];
    const refs: number[] = [];
    const payloads: Payload[] = [];
    this.forEach((time, ref, payload) => {
      times.push(time);
      refs.push(ref);
      payloads.push(payload);
    });
    return { times, refs, payloads };
  }

  private dropHead(sink: EvictionSink): void {
    sink.remove(this.payloads?.[this.head] ?? 0);
    this.head++;
  }

  private compact(): void {
    const end = this.stamps.length >> 1;
    if (this.head === end) {
      if (this.head > 0) this.clear();
      return;
    }
    if (this.head >= compactAfter && this.head * 2 >= end) {
      this.stamps = this.stamps.slice(this.head << 1);
      if (this.payloads !== null) this.payloads = this.payloads.slice(this.head);
      this.head = 0;
    }
  }
}
