/**
 * @module detect/sigma/correlation/event-window
 * The events one group of one correlation holds: a time-sorted deque of (time, ref, payload)
 * in parallel arrays with a head index, so eviction from the front is O(1) amortised (no
 * `shift()`), and an event that arrives slightly late is inserted at its place by time (Sigma
 * correlation rules specification v2.1.0, "Time Selection": the window slides over event time,
 * "not restricted to boundaries").
 *
 * The payload is what the group's aggregate needs from the event: a rule index (temporal
 * types), a distinct-value key (value_count), a number (value_sum/avg/percentile), or 0.
 */

export type Payload = string | number;

/** Compaction happens only when the dead prefix is at least this long and half the arrays. */
const compactAfter = 64;

export class EventWindow {
  private times: number[] = [];
  private refs: number[] = [];
  private payloads: Payload[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  /** The time of the oldest retained event (undefined when empty). */
  get oldestTime(): number | undefined {
    return this.head < this.times.length ? this.times[this.head] : undefined;
  }

  /** The time of the newest retained event (undefined when empty). */
  get newestTime(): number | undefined {
    return this.head < this.times.length ? this.times[this.times.length - 1] : undefined;
  }

  /**
   * Inserts an event in time order. Returns true when it went at the end (the common, in-order
   * case); events with equal times keep their arrival order.
   */
  insert(time: number, ref: number, payload: Payload): boolean {
    const times = this.times;
    const last = times.length - 1;
    if (last < this.head || (times[last] ?? time) <= time) {
      times.push(time);
      this.refs.push(ref);
      this.payloads.push(payload);
      return true;
    }
    // Binary search for the first retained entry later than `time`.
    let lo = this.head;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] ?? 0) <= time) lo = mid + 1;
      else hi = mid;
    }
    times.splice(lo, 0, time);
    this.refs.splice(lo, 0, ref);
    this.payloads.splice(lo, 0, payload);
    return false;
  }

  /** Removes events older than `start`, oldest first, handing each payload to `onRemove`. */
  evictBefore(start: number, onRemove: (payload: Payload) => void): void {
    const times = this.times;
    while (this.head < times.length && (times[this.head] ?? start) < start) this.dropHead(onRemove);
    this.compact();
  }

  /** Removes the oldest event (when the group holds more events than it may). */
  evictOldest(onRemove: (payload: Payload) => void): void {
    if (this.head < this.times.length) this.dropHead(onRemove);
    this.compact();
  }

  clear(): void {
    this.times = [];
    this.refs = [];
    this.payloads = [];
    this.head = 0;
  }

  /** Visits the retained events in time order. */
  forEach(visit: (time: number, ref: number, payload: Payload) => void): void {
    for (let i = this.head; i < this.times.length; i++) {
      visit(this.times[i] ?? 0, this.refs[i] ?? 0, this.payloads[i] ?? 0);
    }
  }

  /**
   * The refs of the retained events in time order, at most `max` of them: when there are more,
   * the first and last halves (how it started and what completed it).
   */
  sampleRefs(max: number): number[] {
    const size = this.size;
    if (size <= max) return this.refs.slice(this.head);
    const first = Math.ceil(max / 2);
    const last = max - first;
    const out = this.refs.slice(this.head, this.head + first);
    for (let i = this.refs.length - last; i < this.refs.length; i++) out.push(this.refs[i] ?? 0);
    return out;
  }

  /** Plain copies of the retained events, for a snapshot. */
  toColumns(): { times: number[]; refs: number[]; payloads: Payload[] } {
    return {
      times: this.times.slice(this.head),
      refs: this.refs.slice(this.head),
      payloads: this.payloads.slice(this.head),
    };
  }

  private dropHead(onRemove: (payload: Payload) => void): void {
    const payload = this.payloads[this.head] ?? 0;
    this.head++;
    onRemove(payload);
  }

  private compact(): void {
    if (this.head === this.times.length) {
      if (this.head > 0) this.clear();
      return;
    }
    if (this.head >= compactAfter && this.head * 2 >= this.times.length) {
      this.times = this.times.slice(this.head);
      this.refs = this.refs.slice(this.head);
      this.payloads = this.payloads.slice(this.head);
      this.head = 0;
    }
  }
}
