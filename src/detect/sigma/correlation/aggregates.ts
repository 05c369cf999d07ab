/**
 * @module detect/sigma/correlation/aggregates
 * The measure each correlation type compares with its condition (Sigma correlation rules
 * specification v2.1.0, "Correlation Types"), kept incrementally as events enter and leave a
 * group's window so that a match costs O(1) (value_percentile: O(log n) search plus an O(n)
 * memmove of a sorted array, n ≤ maxEventsPerGroup):
 *
 * - event_count: the number of events in the window.
 * - value_count: the number of distinct values of `condition.field`.
 * - temporal: the number of distinct referenced rules matched in the window ("the count of
 *   different event types").
 * - temporal_ordered: the length of the longest prefix of `rules` matched in that order within
 *   the window ("requires in addition that the events appear in the order provided").
 * - value_sum / value_avg / value_percentile: the sum, mean and p-th percentile of the numeric
 *   values of `condition.field`.
 */
import type { CorrelationType } from '../contract.js';
import { percentileOfSorted } from './condition.js';
import type { EvictionSink, Payload } from './event-window.js';

export interface WindowAggregate extends EvictionSink {
  /** True when events must be added in time order (a late event means: rebuild from the window). */
  readonly orderSensitive: boolean;
  add(payload: Payload, time: number): void;
  remove(payload: Payload): void;
  clear(): void;
  /**
   * The measure for a window of `size` events whose oldest admissible time is `windowStart`;
   * undefined when there is none (an average of no values).
   */
  measure(windowStart: number, size: number): number | undefined;
}

/** The window's size is the count: one stateless instance serves every group. */
const eventCount: WindowAggregate = {
  orderSensitive: false,
  add() {},
  remove() {},
  clear() {},
  measure: (_windowStart, size) => size,
};

class DistinctValues implements WindowAggregate {
  readonly orderSensitive = false;
  private readonly multiplicity = new Map<string, number>();
  add(payload: Payload): void {
    const key = String(payload);
    this.multiplicity.set(key, (this.multiplicity.get(key) ?? 0) + 1);
  }
  remove(payload: Payload): void {
    const key = String(payload);
    const n = this.multiplicity.get(key) ?? 0;
    if (n <= 1) this.multiplicity.delete(key);
    else this.multiplicity.set(key, n - 1);
  }
  clear(): void {
    this.multiplicity.clear();
  }
  measure(): number {
    return this.multiplicity.size;
  }
}

class DistinctRules implements WindowAggregate {
  readonly orderSensitive = false;
  private readonly counts: number[];
  private distinct = 0;
  constructor(ruleCount: number) {
    this.counts = new Array<number>(ruleCount).fill(0);
  }
  add(payload: Payload): void {
    const i = Number(payload);
    const n = this.counts[i] ?? 0;
    if (n === 0) this.distinct++;
    this.counts[i] = n + 1;
  }
  remove(payload: Payload): void {
    const i = Number(payload);
    const n = this.counts[i] ?? 0;
    if (n === 1) this.distinct--;
    if (n > 0) this.counts[i] = n - 1;
  }
  clear(): void {
    this.counts.fill(0);
    this.distinct = 0;
  }
  measure(): number {
    return this.distinct;
  }
}

/**
 * Dynamic programming over events in time order: `starts[i]` is the latest start time of a chain
 * rules[0] ≤ … ≤ rules[i] (by event time) that ends at a match of rules[i] and spans at most the
 * timespan. The latest start is the best one to extend, since it leaves the most room.
 */
class OrderedChain implements WindowAggregate {
  readonly orderSensitive = true;
  private readonly starts: number[];
  constructor(
    ruleCount: number,
    private readonly timespanMs: number,
  ) {
    this.starts = new Array<number>(ruleCount).fill(Number.NaN);
  }
  add(payload: Payload, time: number): void {
    const i = Number(payload);
    let start: number;
    if (i === 0) start = time;
    else {
      const previous = this.starts[i - 1] ?? Number.NaN;
      // NaN (no chain yet) fails the comparison.
      if (!(previous >= time - this.timespanMs)) return;
      start = previous;
    }
    const current = this.starts[i] ?? Number.NaN;
    if (!(current >= start)) this.starts[i] = start;
  }
  remove(): void {
    // Chains age out by their start time in measure().
  }
  clear(): void {
    this.starts.fill(Number.NaN);
  }
  measure(windowStart: number): number {
    for (let i = this.starts.length - 1; i >= 0; i--) {
      if ((this.starts[i] ?? Number.NaN) >= windowStart) return i + 1;
    }
    return 0;
  }
}

class NumericSum implements WindowAggregate {
  readonly orderSensitive = false;
  private sum = 0;
  private count = 0;
  constructor(private readonly average: boolean) {}
  add(payload: Payload): void {
    this.sum += Number(payload);
    this.count++;
  }
  remove(payload: Payload): void {
    this.count--;
    // Reset when empty so that floating-point drift from add/subtract does not accumulate.
    this.sum = this.count === 0 ? 0 : this.sum - Number(payload);
  }
  clear(): void {
    this.sum = 0;
    this.count = 0;
  }
  measure(): number | undefined {
    if (!this.average) return this.sum;
    return this.count === 0 ? undefined : this.sum / this.count;
  }
}

class NumericPercentile implements WindowAggregate {
  readonly orderSensitive = false;
  private readonly sorted: number[] = [];
  constructor(private readonly percentile: number) {}
  add(payload: Payload): void {
    const x = Number(payload);
    this.sorted.splice(this.lowerBound(x), 0, x);
  }
  remove(payload: Payload): void {
    const x = Number(payload);
    const i = this.lowerBound(x);
    if (this.sorted[i] === x) this.sorted.splice(i, 1);
  }
  clear(): void {
    this.sorted.length = 0;
  }
  measure(): number | undefined {
    return percentileOfSorted(this.sorted, this.percentile);
  }
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function createAggregate(type: CorrelationType, ruleCount: number, timespanMs: number, percentile: number): WindowAggregate {
  switch (type) {
    case 'event_count':
      return eventCount;
    case 'value_count':
      return new DistinctValues();
    case 'temporal':
      return new DistinctRules(ruleCount);
    case 'temporal_ordered':
      return new OrderedChain(ruleCount, timespanMs);
    case 'value_sum':
      return new NumericSum(false);
    case 'value_avg':
      return new NumericSum(true);
    case 'value_percentile':
      return new NumericPercentile(percentile);
  }
}
